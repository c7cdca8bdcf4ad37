#include "AppSettings.h"

#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <memory>

using namespace workdeck;

namespace workdeck {
// Lets QCOMPARE print settings (found by argument-dependent lookup).
char* toString(const AppSettings& settings)
{
    return QTest::toString(u"{workers " + QString::number(settings.workers) + u", base " +
                           QString::number(settings.backoffBaseMs) + u" ms, cap " +
                           QString::number(settings.backoffCapMs) + u" ms, timeout " +
                           QString::number(settings.defaultTimeoutMs) + u" ms}");
}
} // namespace workdeck

namespace {
constexpr qint64 Day = 86'400'000;

// Valid values that differ from every default, so a test can tell "kept" from "fell back".
const AppSettings Stored{
    .workers = 3, .backoffBaseMs = 250, .backoffCapMs = 60'000, .defaultTimeoutMs = 2500};

QStringList describe(const QList<FieldProblem>& problems)
{
    QStringList result;
    for (const FieldProblem& problem : problems)
        result.append(problem.field + u": " + problem.message);
    return result;
}

QString range(qint64 min, qint64 max)
{
    return u"must be an integer from " + QString::number(min) + u" to " + QString::number(max);
}
} // namespace

class TestAppSettings : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void defaults()
    {
        const AppSettings settings = AppSettings::defaults();
        const WorkerPool::Options pool;
        QCOMPARE(settings.workers, WorkerPool::defaultWorkerCount());
        QCOMPARE(settings.backoffBaseMs, 1000);
        QCOMPARE(settings.backoffCapMs, 300'000);
        QCOMPARE(settings.backoffBaseMs, pool.backoffBaseMs);
        QCOMPARE(settings.backoffCapMs, pool.backoffCapMs);
        QCOMPARE(settings.defaultTimeoutMs, TaskSpec::DefaultTimeoutMs);
        QCOMPARE(AppSettings{}, settings);
        QVERIFY(settings.problems().isEmpty());
    }

    void emptyFileGivesDefaults()
    {
        QSettings settings(iniPath(), QSettings::IniFormat);
        QStringList problems{QStringLiteral("stale")};
        QCOMPARE(AppSettings::load(settings, &problems), AppSettings::defaults());
        QCOMPARE(problems, QStringList());
    }

    void missingKeysKeepTheirDefaults()
    {
        writeIni({QStringLiteral("workers=5")});
        QSettings settings(iniPath(), QSettings::IniFormat);
        QStringList problems;
        AppSettings expected;
        expected.workers = 5;
        QCOMPARE(AppSettings::load(settings, &problems), expected);
        QCOMPARE(problems, QStringList());
    }

    void otherGroupsAreIgnored()
    {
        writeIni({}, QStringLiteral("[window]\nworkers=7\n[General]\nworkers=9\n"));
        QSettings settings(iniPath(), QSettings::IniFormat);
        QStringList problems;
        QCOMPARE(AppSettings::load(settings, &problems), AppSettings::defaults());
        QCOMPARE(problems, QStringList());
    }

    void roundTrip_data()
    {
        QTest::addColumn<AppSettings>("values");
        QTest::newRow("defaults") << AppSettings::defaults();
        QTest::newRow("changed") << Stored;
        QTest::newRow("smallest") << AppSettings{1, 0, 0, 1};
        QTest::newRow("largest") << AppSettings{AppSettings::MaxWorkers, Day, Day, TaskSpec::MaxTimeoutMs};
        QTest::newRow("no backoff wait, with a cap") << AppSettings{8, 0, 5000, 100};
    }

    void roundTrip()
    {
        QFETCH(AppSettings, values);
        {
            QSettings settings(iniPath(), QSettings::IniFormat);
            values.save(settings);
            QCOMPARE(settings.group(), QString());
            settings.sync();
            QCOMPARE(settings.status(), QSettings::NoError);
        }
        // A fresh QSettings reads the file back, where every value has become text.
        QSettings settings(iniPath(), QSettings::IniFormat);
        QStringList problems;
        QCOMPARE(AppSettings::load(settings, &problems), values);
        QCOMPARE(problems, QStringList());
        QCOMPARE(settings.group(), QString());
    }

    void savedKeys()
    {
        {
            QSettings settings(iniPath(), QSettings::IniFormat);
            Stored.save(settings);
        }
        QSettings settings(iniPath(), QSettings::IniFormat);
        QCOMPARE(settings.childGroups(), QStringList{QStringLiteral("engine")});
        settings.beginGroup(QStringLiteral("engine"));
        QStringList keys = settings.childKeys();
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("backoff_base_ms"), QStringLiteral("backoff_cap_ms"),
                                    QStringLiteral("default_timeout_ms"), QStringLiteral("workers")}));
        QCOMPARE(settings.value(QStringLiteral("workers")).toString(), QStringLiteral("3"));
        QCOMPARE(settings.value(QStringLiteral("backoff_cap_ms")).toString(), QStringLiteral("60000"));
    }

    void validStoredText_data()
    {
        QTest::addColumn<QStringList>("lines");
        QTest::addColumn<AppSettings>("expected");
        QTest::newRow("one worker") << QStringList{QStringLiteral("workers=1")}
                                    << with([](AppSettings& s) { s.workers = 1; });
        QTest::newRow("most workers")
            << QStringList{QStringLiteral("workers=256")} << with([](AppSettings& s) { s.workers = 256; });
        QTest::newRow("leading zeros")
            << QStringList{QStringLiteral("workers=007")} << with([](AppSettings& s) { s.workers = 7; });
        QTest::newRow("no wait at all")
            << QStringList{QStringLiteral("backoff_base_ms=0"), QStringLiteral("backoff_cap_ms=0")}
            << with([](AppSettings& s) { s.backoffBaseMs = s.backoffCapMs = 0; });
        QTest::newRow("base equals cap") << QStringList{QStringLiteral("backoff_base_ms=60000")}
                                         << with([](AppSettings& s) { s.backoffBaseMs = 60'000; });
        QTest::newRow("a day of backoff")
            << QStringList{QStringLiteral("backoff_base_ms=86400000"),
                           QStringLiteral("backoff_cap_ms=86400000")}
            << with([](AppSettings& s) { s.backoffBaseMs = s.backoffCapMs = Day; });
        QTest::newRow("shortest timeout") << QStringList{QStringLiteral("default_timeout_ms=1")}
                                          << with([](AppSettings& s) { s.defaultTimeoutMs = 1; });
        QTest::newRow("longest timeout") << QStringList{QStringLiteral("default_timeout_ms=86400000")}
                                         << with([](AppSettings& s) { s.defaultTimeoutMs = Day; });
        QTest::newRow("spaces around the equals sign")
            << QStringList{QStringLiteral("workers = 12")} << with([](AppSettings& s) { s.workers = 12; });
    }

    void validStoredText()
    {
        QFETCH(QStringList, lines);
        QFETCH(AppSettings, expected);
        writeStoredWith(lines);
        QSettings settings(iniPath(), QSettings::IniFormat);
        QStringList problems;
        QCOMPARE(AppSettings::load(settings, &problems), expected);
        QCOMPARE(problems, QStringList());
    }

    void hostileStoredText_data()
    {
        QTest::addColumn<QStringList>("lines");     // replace the key's line in a valid file
        QTest::addColumn<QStringList>("defaulted"); // keys that must fall back to their default
        QTest::addColumn<QStringList>("problems");

        const QString workers = u"workers: " + range(1, 256) + u", not ";
        const auto workersRow = [&](const char* name, const QString& stored, const QString& shown) {
            QTest::newRow(name) << QStringList{u"workers=" + stored} << QStringList{QStringLiteral("workers")}
                                << QStringList{workers + shown};
        };
        workersRow("workers: text", QStringLiteral("12abc"), QStringLiteral("\"12abc\""));
        workersRow("workers: empty", QString(), QStringLiteral("\"\""));
        workersRow("workers: exponent", QStringLiteral("1e3"), QStringLiteral("\"1e3\""));
        workersRow("workers: leading space", QStringLiteral("\" 4\""), QStringLiteral("\" 4\""));
        workersRow("workers: trailing space", QStringLiteral("\"4 \""), QStringLiteral("\"4 \""));
        workersRow("workers: plus sign", QStringLiteral("+4"), QStringLiteral("\"+4\""));
        workersRow("workers: fraction", QStringLiteral("4.0"), QStringLiteral("\"4.0\""));
        workersRow("workers: hexadecimal", QStringLiteral("0x10"), QStringLiteral("\"0x10\""));
        workersRow("workers: boolean", QStringLiteral("true"), QStringLiteral("\"true\""));
        workersRow("workers: only a minus", QStringLiteral("-"), QStringLiteral("\"-\""));
        workersRow("workers: Arabic-Indic digits", QStringLiteral("٤"), QStringLiteral("\"٤\""));
        workersRow("workers: negative", QStringLiteral("-3"), QStringLiteral("-3"));
        workersRow("workers: zero", QStringLiteral("0"), QStringLiteral("0"));
        workersRow("workers: too many", QStringLiteral("257"), QStringLiteral("257"));
        // 2^32 + 1 would become 1 worker if it were cut to an int on the way.
        workersRow("workers: beyond 32 bits", QStringLiteral("4294967297"), QStringLiteral("4294967297"));
        workersRow("workers: beyond 64 bits", QStringLiteral("99999999999999999999"),
                   QStringLiteral("99999999999999999999"));
        workersRow("workers: most negative 64-bit", QStringLiteral("-9223372036854775808"),
                   QStringLiteral("-9223372036854775808"));
        workersRow("workers: a page of text", QString(1000, u'x'), u'"' + QString(40, u'x') + u"…\"");
        workersRow("workers: list", QStringLiteral("1, 2"), QStringLiteral("a list"));
        workersRow("workers: byte array", QStringLiteral("@ByteArray(4)"), QStringLiteral("binary data"));
        workersRow("workers: rectangle", QStringLiteral("@Rect(1 2 3 4)"),
                   QStringLiteral("a value of type QRect"));

        const auto row = [](const char* name, const QString& key, const QString& stored,
                            const QString& problem) {
            QTest::newRow(name) << QStringList{key + u'=' + stored} << QStringList{key}
                                << QStringList{key + u": " + problem};
        };
        const QString base = QStringLiteral("backoff_base_ms");
        row("base: negative", base, QStringLiteral("-1"), range(0, Day) + u", not -1");
        row("base: over a day", base, QStringLiteral("86400001"), range(0, Day) + u", not 86400001");
        row("base: with a unit", base, QStringLiteral("1s"), range(0, Day) + u", not \"1s\"");
        const QString cap = QStringLiteral("backoff_cap_ms");
        row("cap: negative", cap, QStringLiteral("-5"), range(0, Day) + u", not -5");
        row("cap: over a day", cap, QStringLiteral("86400001"), range(0, Day) + u", not 86400001");
        row("cap: with a unit", cap, QStringLiteral("5 min"), range(0, Day) + u", not \"5 min\"");
        const QString timeout = QStringLiteral("default_timeout_ms");
        row("timeout: zero", timeout, QStringLiteral("0"), range(1, TaskSpec::MaxTimeoutMs) + u", not 0");
        row("timeout: negative", timeout, QStringLiteral("-10"),
            range(1, TaskSpec::MaxTimeoutMs) + u", not -10");
        row("timeout: over the maximum", timeout, QStringLiteral("86400001"),
            range(1, TaskSpec::MaxTimeoutMs) + u", not 86400001");
        row("timeout: with a unit", timeout, QStringLiteral("10s"),
            range(1, TaskSpec::MaxTimeoutMs) + u", not \"10s\"");

        // The pair is inconsistent: either could be the typo, so both fall back.
        QTest::newRow("cap below base")
            << QStringList{QStringLiteral("backoff_base_ms=5000"), QStringLiteral("backoff_cap_ms=2000")}
            << QStringList{base, cap}
            << QStringList{
                   QStringLiteral("backoff_cap_ms: must be at least backoff_base_ms (5000), not 2000")};
        QTest::newRow("cap below the default of an invalid base")
            << QStringList{QStringLiteral("backoff_base_ms=abc"), QStringLiteral("backoff_cap_ms=500")}
            << QStringList{base, cap}
            << QStringList{
                   u"backoff_base_ms: " + range(0, Day) + u", not \"abc\"",
                   QStringLiteral("backoff_cap_ms: must be at least backoff_base_ms (1000), not 500")};
        QTest::newRow("base above the default of an invalid cap")
            << QStringList{QStringLiteral("backoff_base_ms=400000"), QStringLiteral("backoff_cap_ms=")}
            << QStringList{base, cap}
            << QStringList{
                   u"backoff_cap_ms: " + range(0, Day) + u", not \"\"",
                   QStringLiteral("backoff_base_ms: must be at most backoff_cap_ms (300000), not 400000")};
        QTest::newRow("everything wrong")
            << QStringList{QStringLiteral("workers=0"), QStringLiteral("backoff_base_ms=-1"),
                           QStringLiteral("backoff_cap_ms=x"), QStringLiteral("default_timeout_ms=0")}
            << QStringList{QStringLiteral("workers"), base, cap, timeout}
            << QStringList{workers + u'0', u"backoff_base_ms: " + range(0, Day) + u", not -1",
                           u"backoff_cap_ms: " + range(0, Day) + u", not \"x\"",
                           u"default_timeout_ms: " + range(1, TaskSpec::MaxTimeoutMs) + u", not 0"};
    }

    void hostileStoredText()
    {
        QFETCH(QStringList, lines);
        QFETCH(QStringList, defaulted);
        QFETCH(QStringList, problems);
        writeStoredWith(lines);

        AppSettings expected = Stored;
        const AppSettings fallback = AppSettings::defaults();
        if (defaulted.contains(u"workers"))
            expected.workers = fallback.workers;
        if (defaulted.contains(u"backoff_base_ms"))
            expected.backoffBaseMs = fallback.backoffBaseMs;
        if (defaulted.contains(u"backoff_cap_ms"))
            expected.backoffCapMs = fallback.backoffCapMs;
        if (defaulted.contains(u"default_timeout_ms"))
            expected.defaultTimeoutMs = fallback.defaultTimeoutMs;

        QSettings settings(iniPath(), QSettings::IniFormat);
        QStringList found;
        const AppSettings loaded = AppSettings::load(settings, &found);
        QCOMPARE(loaded, expected);
        QCOMPARE(found, problems);
        QVERIFY(loaded.problems().isEmpty());
        // Without a list to fill, the values are the same.
        QCOMPARE(AppSettings::load(settings), expected);
    }

    // Values QSettings would read with QDataStream ("@Variant(…)", "@DateTime(…)") can announce
    // gigabytes in a few bytes: they are found in the file before QSettings parses it, and left out.
    void serialisedValues_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<AppSettings>("expected");
        QTest::addColumn<QStringList>("problems");

        const auto refused = [](const QString& key, int line, const char* form) -> QString {
            return key + u": line " + QString::number(line) + u" holds a serialised Qt value (" +
                   QLatin1StringView(form) +
                   u"(…)), which is not read; remove the line or set the value again in Settings";
        };
        const QByteArray others = "backoff_base_ms=250\nbackoff_cap_ms=60000\ndefault_timeout_ms=2500\n";
        const AppSettings storedButWorkers =
            with([](AppSettings& s) { s.workers = AppSettings::defaults().workers; });

        // The fuzzer's finding: a list of 0x30000061 strings announced in 10 bytes, under a section
        // header without its closing bracket.
        QTest::newRow("fuzz finding")
            << QByteArray::fromBase64("W2VuZ2luZQp3b3JrZXJzPUBWYXJpYW50KFwwXAEAAAswXDBcYXJpYShcMFw6KQo=")
            << AppSettings::defaults() << QStringList{refused(QStringLiteral("workers"), 2, "@Variant")};
        const QByteArray variant = "@Variant(\\0\\0\\0\\v\\0\\0\\0\\x10)"; // announces 16 strings, holds none
        const auto workersRow = [&](const char* name, const QByteArray& value,
                                    const char* form = "@Variant") {
            QTest::newRow(name) << QByteArray("[engine]\nworkers=" + value + '\n' + others)
                                << storedButWorkers
                                << QStringList{refused(QStringLiteral("workers"), 2, form)};
        };
        workersRow("variant", variant);
        workersRow("date and time", "@DateTime(\\0\\0\\0\\x10\\0\\0\\0\\0)", "@DateTime");
        workersRow("quoted", '"' + variant + '"');
        workersRow("in a list", "1, " + variant);
        workersRow("hexadecimal escape", "\\x40Variant(\\0\\0\\0\\v)");
        workersRow("escape beyond 16 bits", "\\x10040Variant(\\0\\0\\0\\v)");
        workersRow("octal escape", "\\100Variant(\\0\\0\\0\\v)");
        workersRow("carried over a line break", "@Vari\\\nant(\\0\\0\\0\\v)");
        workersRow("hexadecimal escape without digits", "@Var\\xiant(\\0\\0\\0\\v)");

        QTest::newRow("key on line 7, after a comment and a blank line")
            << QByteArray("; edited by hand\n[engine]\n" + others + "\nworkers=" + variant + " ; four\n")
            << storedButWorkers << QStringList{refused(QStringLiteral("workers"), 7, "@Variant")};
        QTest::newRow("every key")
            << QByteArray("[engine]\nworkers=" + variant + "\nbackoff_base_ms=" + variant +
                          "\nbackoff_cap_ms=" + variant + "\ndefault_timeout_ms=" + variant + '\n')
            << AppSettings::defaults()
            << QStringList{refused(QStringLiteral("workers"), 2, "@Variant"),
                           refused(QStringLiteral("backoff_base_ms"), 3, "@Variant"),
                           refused(QStringLiteral("backoff_cap_ms"), 4, "@Variant"),
                           refused(QStringLiteral("default_timeout_ms"), 5, "@Variant")};
        // Another group's value is never read by load(), but QSettings would parse it when it
        // writes the file back: it is named too, and the engine's values are kept.
        QTest::newRow("in another group")
            << QByteArray("[window]\nstate=" + variant + "\n[engine]\nworkers=3\n" + others) << Stored
            << QStringList{refused(QStringLiteral("window/state"), 2, "@Variant")};
        // What QSettings reads without QDataStream is explained like any other wrong value.
        QTest::newRow("byte array, escaped at")
            << QByteArray("[engine]\nworkers=@@Variant\n" + others) << storedButWorkers
            << QStringList{u"workers: " + range(1, 256) + u", not \"@Variant\""};
    }

    void serialisedValues()
    {
        QFETCH(QByteArray, file);
        QFETCH(AppSettings, expected);
        QFETCH(QStringList, problems);
        {
            QFile out(iniPath());
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(out.write(file), file.size());
        }
        QSettings settings(iniPath(), QSettings::IniFormat);
        QStringList found;
        const AppSettings loaded = AppSettings::load(settings, &found);
        QCOMPARE(found, problems);
        QCOMPARE(loaded, expected);
        QVERIFY(loaded.problems().isEmpty());
        // The user's file is left byte for byte as it was.
        QFile in(iniPath());
        QVERIFY(in.open(QIODevice::ReadOnly));
        QCOMPARE(in.readAll(), file);
    }

    void typedValues_data()
    {
        // What load() meets before the file is written back: the QVariant as it was set.
        QTest::addColumn<QVariant>("stored");
        QTest::addColumn<int>("workers");
        QTest::addColumn<QString>("problem");
        const int fallback = AppSettings::defaults().workers;
        const QString problem = u"workers: " + range(1, 256) + u", not ";
        QTest::newRow("int") << QVariant(12) << 12 << QString();
        QTest::newRow("unsigned int") << QVariant(12u) << 12 << QString();
        QTest::newRow("64-bit") << QVariant(qlonglong(12)) << 12 << QString();
        QTest::newRow("unsigned 64-bit") << QVariant(qulonglong(12)) << 12 << QString();
        QTest::newRow("64-bit, beyond an int")
            << QVariant(qlonglong(1) << 32 | 1) << fallback << QString(problem + u"4294967297");
        QTest::newRow("unsigned 64-bit, beyond signed")
            << QVariant(std::numeric_limits<qulonglong>::max()) << fallback
            << QString(problem + u"18446744073709551615");
        QTest::newRow("double") << QVariant(4.0) << fallback << QString(problem + u"a value of type double");
        QTest::newRow("bool") << QVariant(true) << fallback << QString(problem + u"a value of type bool");
        QTest::newRow("list") << QVariant(QStringList{QStringLiteral("4")}) << fallback
                              << QString(problem + u"a list");
        QTest::newRow("bytes") << QVariant(QByteArray("4")) << fallback << QString(problem + u"binary data");
    }

    void typedValues()
    {
        QFETCH(QVariant, stored);
        QFETCH(int, workers);
        QFETCH(QString, problem);
        QSettings settings(iniPath(), QSettings::IniFormat);
        settings.setValue(QStringLiteral("engine/workers"), stored);
        QStringList problems;
        QCOMPARE(AppSettings::load(settings, &problems).workers, workers);
        QCOMPARE(problems, problem.isEmpty() ? QStringList() : QStringList{problem});
    }

    void problems_data()
    {
        QTest::addColumn<AppSettings>("values");
        QTest::addColumn<QStringList>("problems");
        const QString workers = u"workers: " + range(1, 256);
        const QString base = u"backoff_base_ms: " + range(0, Day);
        const QString cap = u"backoff_cap_ms: " + range(0, Day);
        const QString timeout = u"default_timeout_ms: " + range(1, TaskSpec::MaxTimeoutMs);

        QTest::newRow("defaults") << AppSettings::defaults() << QStringList();
        QTest::newRow("smallest") << AppSettings{1, 0, 0, 1} << QStringList();
        QTest::newRow("largest") << AppSettings{256, Day, Day, TaskSpec::MaxTimeoutMs} << QStringList();
        QTest::newRow("base equals cap") << AppSettings{4, 5000, 5000, 1000} << QStringList();
        QTest::newRow("no wait, with a cap") << AppSettings{4, 0, 1000, 1000} << QStringList();

        QTest::newRow("no workers") << AppSettings{0, 1000, 300'000, 10'000} << QStringList{workers};
        QTest::newRow("negative workers") << AppSettings{-1, 1000, 300'000, 10'000} << QStringList{workers};
        QTest::newRow("too many workers") << AppSettings{257, 1000, 300'000, 10'000} << QStringList{workers};
        QTest::newRow("negative base") << AppSettings{4, -1, 300'000, 10'000} << QStringList{base};
        // An out-of-range base is not compared with the cap as well.
        QTest::newRow("base over a day") << AppSettings{4, Day + 1, Day, 10'000} << QStringList{base};
        QTest::newRow("cap below base")
            << AppSettings{4, 5000, 2000, 10'000}
            << QStringList{QStringLiteral("backoff_cap_ms: must be at least the retry backoff base")};
        QTest::newRow("cap zero, base not")
            << AppSettings{4, 1, 0, 10'000}
            << QStringList{QStringLiteral("backoff_cap_ms: must be at least the retry backoff base")};
        QTest::newRow("negative cap") << AppSettings{4, 0, -1, 10'000} << QStringList{cap};
        QTest::newRow("cap over a day") << AppSettings{4, 1000, Day + 1, 10'000} << QStringList{cap};
        QTest::newRow("timeout zero") << AppSettings{4, 1000, 300'000, 0} << QStringList{timeout};
        QTest::newRow("timeout over the maximum")
            << AppSettings{4, 1000, 300'000, TaskSpec::MaxTimeoutMs + 1} << QStringList{timeout};
        QTest::newRow("everything wrong, in field order")
            << AppSettings{0, -1, -1, 0} << QStringList{workers, base, cap, timeout};
    }

    void problems()
    {
        QFETCH(AppSettings, values);
        QFETCH(QStringList, problems);
        QCOMPARE(describe(values.problems()), problems);
    }

    void applyTo()
    {
        WorkerPool::Options options;
        options.workers = 2;
        options.graceMs = 123;
        options.abandonAfterMs = 7;
        options.sampleIntervalMs = 11;
        options.historyCapacity = 9;
        options.notifyIntervalMs = 13;

        const WorkerPool::Options applied = Stored.applyTo(options);
        QCOMPARE(applied.workers, 3);
        QCOMPARE(applied.backoffBaseMs, 250);
        QCOMPARE(applied.backoffCapMs, 60'000);
        // Everything the settings do not cover stays as it was.
        QCOMPARE(applied.graceMs, 123);
        QCOMPARE(applied.abandonAfterMs, 7);
        QCOMPARE(applied.sampleIntervalMs, 11);
        QCOMPARE(applied.historyCapacity, 9);
        QCOMPARE(applied.notifyIntervalMs, 13);

        // The default settings leave the pool's default options as they are.
        const WorkerPool::Options pool;
        const WorkerPool::Options unchanged = AppSettings::defaults().applyTo(pool);
        QCOMPARE(unchanged.workers, pool.workers);
        QCOMPARE(unchanged.backoffBaseMs, pool.backoffBaseMs);
        QCOMPARE(unchanged.backoffCapMs, pool.backoffCapMs);
    }

private:
    QString iniPath() const { return m_dir->filePath(QStringLiteral("workdeck.ini")); }

    static AppSettings with(void (*change)(AppSettings&))
    {
        AppSettings result = Stored;
        change(result);
        return result;
    }

    // Writes the [engine] group by hand, as a person with an editor would, plus `extra` text.
    void writeIni(const QStringList& engineLines, const QString& extra = QString())
    {
        QFile file(iniPath());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QString text = extra;
        if (!engineLines.isEmpty())
            text += u"[engine]\n" + engineLines.join(u'\n') + u'\n';
        QVERIFY(file.write(text.toUtf8()) >= 0);
    }

    // A file with the Stored values, where `lines` ("key=value") replace the lines of their keys.
    void writeStoredWith(const QStringList& lines)
    {
        QStringList engine{
            u"workers=" + QString::number(Stored.workers),
            u"backoff_base_ms=" + QString::number(Stored.backoffBaseMs),
            u"backoff_cap_ms=" + QString::number(Stored.backoffCapMs),
            u"default_timeout_ms=" + QString::number(Stored.defaultTimeoutMs),
        };
        for (const QString& line : lines) {
            const QString key = line.section(u'=', 0, 0).trimmed();
            for (QString& existing : engine) {
                if (existing.section(u'=', 0, 0) == key)
                    existing = line;
            }
        }
        writeIni(engine);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
