// Drives the real `workdeck` binary without a window (SPEC S5, S6): --status, --add-user and
// --headless, their exit statuses and outputs, what they leave in the database, and how a run
// survives SIGTERM and kill -9. The database is inspected with the sqlite3 command-line tool, so
// the test sees exactly what another program would see.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

namespace {

constexpr int ProcessTimeoutMs = 30'000;

// The database of a new workspace, as --status reports it.
const QByteArray emptyStatus =
    "{\"users\":0,\"pending\":0,\"running\":0,\"retrying\":0,\"succeeded\":0,\"failed\":0,\"cancelled\":0}\n";

QByteArray statusLine(int users, int pending, int running, int succeeded, int failed)
{
    return "{\"users\":" + QByteArray::number(users) + ",\"pending\":" + QByteArray::number(pending) +
           ",\"running\":" + QByteArray::number(running) +
           ",\"retrying\":0,\"succeeded\":" + QByteArray::number(succeeded) +
           ",\"failed\":" + QByteArray::number(failed) + ",\"cancelled\":0}\n";
}

// One summary line of --headless; elapsed_ms varies, so it is matched as a number.
QRegularExpression summaryPattern(int imported, int succeeded, int failed)
{
    return QRegularExpression(u"^\\{\"imported\":" + QString::number(imported) + u",\"succeeded\":" +
                              QString::number(succeeded) + u",\"failed\":" + QString::number(failed) +
                              u",\"cancelled\":0,\"elapsed_ms\":\\d+\\}\\n$");
}

QByteArray repeatLine(const QByteArray& line, int times)
{
    QByteArray text;
    text.reserve((line.size() + 1) * times);
    for (int i = 0; i < times; ++i)
        text += line + '\n';
    return text;
}

} // namespace

class TestHeadless : public QObject {
    Q_OBJECT

private:
    struct Run {
        int exitCode = -1; ///< -1: did not finish, or crashed
        QByteArray out;
        QByteArray err;
    };

    std::unique_ptr<QTemporaryDir> m_dir;

    QString path(const QString& name) const { return m_dir->filePath(name); }
    QString db() const { return path(QStringLiteral("w.sqlite")); }

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // Nothing here may need a window system.
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        return env;
    }

    static void start(QProcess& process, const QStringList& arguments)
    {
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(WORKDECK_BINARY), arguments);
    }

    static Run run(const QStringList& arguments)
    {
        QProcess process;
        start(process, arguments);
        if (!process.waitForFinished(ProcessTimeoutMs))
            return {-1, process.readAllStandardOutput(), process.readAllStandardError()};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                process.readAllStandardOutput(), process.readAllStandardError()};
    }

    Run runOnDb(QStringList arguments) const
    {
        arguments.prepend(db());
        arguments.prepend(QStringLiteral("--db"));
        return run(arguments);
    }

    Run status() const { return runOnDb({QStringLiteral("--status")}); }

    /// The output of the sqlite3 tool, trimmed, or a text starting with "error" on failure.
    static QString sql(const QString& database, const QString& statements)
    {
        QProcess process;
        // The busy timeout rides out the moments a running workdeck holds a lock or recovers a WAL.
        process.start(QStringLiteral("sqlite3"),
                      {QStringLiteral("-cmd"), QStringLiteral(".timeout 5000"), database, statements});
        if (!process.waitForFinished(ProcessTimeoutMs))
            return QStringLiteral("error: sqlite3 did not finish");
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            return u"error: " + QString::fromUtf8(process.readAllStandardError());
        return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    }

    /// A single number from the database, or -1 if it could not be read.
    qint64 number(const QString& statement) const
    {
        // sqlite3 would create a missing file itself, with the umask's permissions, and workdeck
        // would then find an existing file: a poll must never be the one that creates it.
        if (!QFile::exists(db()))
            return -1;
        bool ok = false;
        const qint64 value = sql(db(), statement).toLongLong(&ok);
        return ok ? value : -1;
    }

    qint64 tasksIn(const char* state) const
    {
        return number(u"SELECT count(*) FROM tasks WHERE state = '" + QLatin1String(state) + u'\'');
    }

    QString writeFile(const QString& name, const QByteArray& content) const
    {
        QFile file(path(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            return {};
        return file.fileName();
    }

    static QByteArray sha256(const QString& file)
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    }

    static QFileDevice::Permissions ownerOnly()
    {
        // QFile reports the owner's bits and, for a file of the current user, the same as "User".
        return QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
               QFileDevice::WriteUser;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup() { m_dir.reset(); }

    // 1. ---------------------------------------------------------------------------------------

    void statusOfANewDatabaseIsAllZeroAndTheFileIsOwnerOnly()
    {
        QVERIFY(!QFile::exists(db()));
        const Run r = status();
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, emptyStatus);
        QCOMPARE(r.err, QByteArray());
        QVERIFY(QFile::exists(db()));
        QCOMPARE(QFile::permissions(db()), ownerOnly());
        // Whatever SQLite left beside it (WAL, shared memory) is owner-only as well.
        for (const QString& side : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            if (QFile::exists(db() + side))
                QCOMPARE(QFile::permissions(db() + side), ownerOnly());
        }
        // A second look changes nothing.
        QCOMPARE(status().out, emptyStatus);
    }

    // 2. ---------------------------------------------------------------------------------------

    void addUserPrintsTheUserInSpecOrder()
    {
        const QString name = QStringLiteral("Robert'); DROP TABLE users;--");
        const Run r = runOnDb({QStringLiteral("--add-user"), QStringLiteral("bobby@example.org"),
                               QStringLiteral("--name"), name});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err, QByteArray());
        static const QRegularExpression shape(QStringLiteral(
            "^\\{\"id\":\"([0-9a-f-]{36})\",\"email\":\"bobby@example.org\",\"name\":\"(.*)\"\\}\\n$"));
        const QRegularExpressionMatch match = shape.match(QString::fromUtf8(r.out));
        QVERIFY2(match.hasMatch(), r.out.constData());
        QCOMPARE(match.captured(2), name);
        const QUuid id = QUuid::fromString(match.captured(1));
        QVERIFY(!id.isNull());
        QCOMPARE(id.version(), QUuid::Random);

        // Stored byte for byte, and the table is still there.
        QCOMPARE(sql(db(), QStringLiteral("SELECT id || '|' || email || '|' || name FROM users")),
                 match.captured(1) + u"|bobby@example.org|" + name);
        QCOMPARE(status().out, statusLine(1, 0, 0, 0, 0));
    }

    void addUserEscapesJsonAndTrims()
    {
        const QString name = QStringLiteral("Zo\u00eb \"Z\" O'Neil \\ \u00e9");
        const Run r = runOnDb({QStringLiteral("--add-user"), QStringLiteral("  zoe@example.org "),
                               QStringLiteral("--name"), u"  " + name + u"  "});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("{\"id\":\"") && r.out.endsWith("}\n"), r.out.constData());
        QVERIFY(r.out.indexOf("\"email\":") < r.out.indexOf("\"name\":"));
        QJsonParseError error{};
        const QJsonObject user = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(user.value(u"email").toString(), QStringLiteral("zoe@example.org"));
        QCOMPARE(user.value(u"name").toString(), name);
        QCOMPARE(user.keys().size(), 3);
    }

    void addUserRejectsInvalidInputAndWritesNothing_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("invalid e-mail")
            << QStringList{QStringLiteral("--add-user"), QStringLiteral("not-an-address"),
                           QStringLiteral("--name"), QStringLiteral("X")}
            << QByteArray("workdeck: email:");
        QTest::newRow("domain label ends with -")
            << QStringList{QStringLiteral("--add-user"), QStringLiteral("a@b-.org"), QStringLiteral("--name"),
                           QStringLiteral("X")}
            << QByteArray("workdeck: email:");
        QTest::newRow("duplicate in another case")
            << QStringList{QStringLiteral("--add-user"), QStringLiteral("ADA@example.ORG"),
                           QStringLiteral("--name"), QStringLiteral("Other Ada")}
            << QByteArray("workdeck: email:");
        QTest::newRow("empty name") << QStringList{QStringLiteral("--add-user"),
                                                   QStringLiteral("n@example.org"), QStringLiteral("--name"),
                                                   QStringLiteral("   ")}
                                    << QByteArray("workdeck: name:");
        QTest::newRow("without --name")
            << QStringList{QStringLiteral("--add-user"), QStringLiteral("n@example.org")}
            << QByteArray("workdeck: --add-user needs --name");
    }

    void addUserRejectsInvalidInputAndWritesNothing()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        QCOMPARE(runOnDb({QStringLiteral("--add-user"), QStringLiteral("ada@example.org"),
                          QStringLiteral("--name"), QStringLiteral("Ada")})
                     .exitCode,
                 0);
        const QByteArray before = sha256(db());
        QVERIFY(!before.isEmpty());

        const Run r = runOnDb(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(message), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(sha256(db()), before);
        QCOMPARE(status().out, statusLine(1, 0, 0, 0, 0));
    }

    // 3. ---------------------------------------------------------------------------------------

    void headlessRunsABatchToTheEnd()
    {
        const QString batch =
            writeFile(QStringLiteral("b.jsonl"), repeatLine("{\"duration_ms\":0,\"priority\":3}", 500));
        QVERIFY(!batch.isEmpty());
        const Run r = runOnDb({QStringLiteral("--headless"), QStringLiteral("--batch"), batch,
                               QStringLiteral("--workers"), QStringLiteral("2")});
        QVERIFY2(summaryPattern(500, 500, 0).match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(status().out, statusLine(0, 0, 0, 500, 0));
        QCOMPARE(number(QStringLiteral("SELECT count(*) FROM tasks WHERE attempts = 1 AND priority = 3 "
                                       "AND finished_at IS NOT NULL")),
                 qint64(500));

        // Nothing is left to do: a second run imports and runs nothing, and succeeds.
        const Run again = runOnDb({QStringLiteral("--headless")});
        QVERIFY2(summaryPattern(0, 0, 0).match(QString::fromUtf8(again.out)).hasMatch(),
                 again.out.constData());
        QCOMPARE(again.exitCode, 0);
    }

    // 4. ---------------------------------------------------------------------------------------

    void headlessReportsTasksThatFailForGood_data()
    {
        QTest::addColumn<int>("durationMs");
        QTest::newRow("instant tasks") << 0;
        QTest::newRow("20 ms tasks") << 20;
    }

    void headlessReportsTasksThatFailForGood()
    {
        QFETCH(int, durationMs);
        const QByteArray duration = "{\"duration_ms\":" + QByteArray::number(durationMs);
        QByteArray lines = repeatLine(duration + ",\"fail_attempts\":1,\"max_retries\":0}", 3);
        lines += repeatLine(duration + '}', 2);
        const QString batch = writeFile(QStringLiteral("f.jsonl"), lines);
        const Run r = runOnDb({QStringLiteral("--headless"), QStringLiteral("--batch"), batch,
                               QStringLiteral("--workers"), QStringLiteral("2")});
        QVERIFY2(summaryPattern(5, 2, 3).match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(status().out, statusLine(0, 0, 0, 2, 3));
        QCOMPARE(sql(db(), QStringLiteral("SELECT DISTINCT error || ':' || attempts FROM tasks "
                                          "WHERE state = 'failed'")),
                 QStringLiteral("simulated failure:1"));
    }

    void headlessRetriesFailedAttempts()
    {
        // The default backoff base is 1 s, so three tasks wait at most about a second each.
        const QString batch =
            writeFile(QStringLiteral("r.jsonl"),
                      repeatLine("{\"duration_ms\":0,\"fail_attempts\":1,\"max_retries\":1}", 3));
        const Run r = runOnDb({QStringLiteral("--headless"), QStringLiteral("--batch"), batch,
                               QStringLiteral("--workers"), QStringLiteral("2")});
        QVERIFY2(summaryPattern(3, 3, 0).match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(status().out, statusLine(0, 0, 0, 3, 0));
        QCOMPARE(sql(db(), QStringLiteral("SELECT min(attempts) || '-' || max(attempts) FROM tasks")),
                 QStringLiteral("2-2"));
        // The failed first attempts are kept in the history.
        QCOMPARE(
            number(QStringLiteral("SELECT count(*) FROM attempts WHERE attempt = 1 AND state = 'retrying' "
                                  "AND error = 'simulated failure'")),
            qint64(3));
    }

    // 5. ---------------------------------------------------------------------------------------

    void invalidBatchImportsNothingAndLeavesTheDatabaseAlone()
    {
        QCOMPARE(runOnDb({QStringLiteral("--add-user"), QStringLiteral("ada@example.org"),
                          QStringLiteral("--name"), QStringLiteral("Ada")})
                     .exitCode,
                 0);
        const QByteArray lines = "{\"duration_ms\":0}\n"                                 // 1
                                 "\n"                                                    // 2
                                 "{\"duration_ms\":0,\"bogus\":1}\n"                     // 3
                                 "{\"duration_ms\":0,\"priority\":300}\r\n"              // 4
                                 "   \n"                                                 // 5
                                 "{\"duration_ms\":0,\"user\":\"nobody@example.org\"}\n" // 6
                                 "not json\n"                                            // 7
                                 "{\"duration_ms\":0,\"user\":\"ADA@example.org\"}\r\n"  // 8
                                 "{\"duration_ms\":0,\"max_retries\":1.5}\n"             // 9
                                 "{\"duration_ms\":0}";                                  // 10, no newline
        const QString batch = writeFile(QStringLiteral("bad.jsonl"), lines);
        const QByteArray before = sha256(db());
        QVERIFY(!before.isEmpty());

        const Run r = runOnDb({QStringLiteral("--headless"), QStringLiteral("--batch"), batch,
                               QStringLiteral("--workers"), QStringLiteral("2")});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QByteArray());
        const QStringList problems = QString::fromUtf8(r.err).split(u'\n', Qt::SkipEmptyParts);
        const QStringList expected{QStringLiteral("line 3: bogus: "), QStringLiteral("line 4: priority: "),
                                   QStringLiteral("line 6: user: "), QStringLiteral("line 7: not valid JSON"),
                                   QStringLiteral("line 9: max_retries: ")};
        QCOMPARE(problems.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QVERIFY2(problems.at(i).startsWith(expected.at(i)), qPrintable(problems.at(i)));
        QVERIFY2(problems.at(1).contains(u"300"), qPrintable(problems.at(1)));
        QVERIFY2(problems.at(2).contains(u"nobody@example.org"), qPrintable(problems.at(2)));

        QCOMPARE(sha256(db()), before);
        QCOMPARE(status().out, statusLine(1, 0, 0, 0, 0));
    }

    // 6. ---------------------------------------------------------------------------------------

    void commandLineErrorsExitTwoWithOneLine_data()
    {
        // %DB% is the test's database, %DIR% its folder.
        const QString db = QStringLiteral("%DB%");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("--workers 0") << QStringList{QStringLiteral("--db"), db, QStringLiteral("--headless"),
                                                    QStringLiteral("--workers"), QStringLiteral("0")}
                                     << QByteArray("workdeck: --workers: ");
        QTest::newRow("--workers abc")
            << QStringList{QStringLiteral("--db"), db, QStringLiteral("--headless"),
                           QStringLiteral("--workers"), QStringLiteral("abc")}
            << QByteArray("workdeck: --workers: ");
        QTest::newRow("--workers 257")
            << QStringList{QStringLiteral("--db"), db, QStringLiteral("--headless"),
                           QStringLiteral("--workers"), QStringLiteral("257")}
            << QByteArray("workdeck: --workers: ");
        QTest::newRow("--batch missing")
            << QStringList{QStringLiteral("--db"), db, QStringLiteral("--headless"),
                           QStringLiteral("--batch"), QStringLiteral("/nonexistent/batch.jsonl")}
            << QByteArray("workdeck: --batch: ");
        QTest::newRow("--headless --status")
            << QStringList{QStringLiteral("--db"), db, QStringLiteral("--headless"),
                           QStringLiteral("--status")}
            << QByteArray("workdeck: --headless, --status and --add-user cannot be combined");
        QTest::newRow("--name alone")
            << QStringList{QStringLiteral("--db"), db, QStringLiteral("--name"), QStringLiteral("x")}
            << QByteArray("workdeck: --name ");
        QTest::newRow("--db a folder")
            << QStringList{QStringLiteral("--db"), QStringLiteral("%DIR%"), QStringLiteral("--status")}
            << QByteArray("workdeck: --db: ");
        QTest::newRow("--workers without value")
            << QStringList{QStringLiteral("--db"), db, QStringLiteral("--headless"),
                           QStringLiteral("--workers")}
            << QByteArray("workdeck: ");
    }

    void commandLineErrorsExitTwoWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        arguments.replaceInStrings(QStringLiteral("%DB%"), db());
        arguments.replaceInStrings(QStringLiteral("%DIR%"), m_dir->path());
        const Run r = run(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(message), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(r.out, QByteArray());
        // Refused before anything is opened: not even the database file appears.
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    }

    // 7. ---------------------------------------------------------------------------------------

    void refusesAFileThatIsNotADatabase_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("--status") << QStringList{QStringLiteral("--status")};
        QTest::newRow("--headless") << QStringList{QStringLiteral("--headless")};
        QTest::newRow("--add-user") << QStringList{QStringLiteral("--add-user"),
                                                   QStringLiteral("a@example.org"), QStringLiteral("--name"),
                                                   QStringLiteral("A")};
    }

    void refusesAFileThatIsNotADatabase()
    {
        QFETCH(QStringList, arguments);
        QByteArray junk(8192, '\0');
        QRandomGenerator random(20240611); // fixed: the same junk on every run
        for (char& byte : junk)
            byte = static_cast<char>(random.bounded(256));
        QVERIFY(!writeFile(QStringLiteral("w.sqlite"), junk).isEmpty());

        const Run r = runOnDb(arguments);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.out, QByteArray());
        QVERIFY2(r.err.startsWith("workdeck: database ") && r.err.contains("not a Workdeck database"),
                 r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(sha256(db()), QCryptographicHash::hash(junk, QCryptographicHash::Sha256));
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("w.sqlite")});
    }

    void refusesADatabaseOfANewerVersion_data() { refusesAFileThatIsNotADatabase_data(); }

    void refusesADatabaseOfANewerVersion()
    {
        QFETCH(QStringList, arguments);
        QCOMPARE(sql(db(), QStringLiteral("PRAGMA user_version = 99;")), QString());
        const QByteArray before = sha256(db());
        QVERIFY(!before.isEmpty());

        const Run r = runOnDb(arguments);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.out, QByteArray());
        QVERIFY2(r.err.startsWith("workdeck: ") && r.err.contains("newer version"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(sha256(db()), before);
        QCOMPARE(sql(db(), QStringLiteral("PRAGMA user_version")), QStringLiteral("99"));
    }

    void refusesADamagedDatabaseAndLeavesItAlone_data() { refusesAFileThatIsNotADatabase_data(); }

    void refusesADamagedDatabaseAndLeavesItAlone()
    {
        QFETCH(QStringList, arguments);
        // A real Workdeck database whose middle pages were overwritten: the header is fine.
        const QString batch = writeFile(QStringLiteral("b.jsonl"),
                                        repeatLine("{\"duration_ms\":0,\"kind\":\"simulate\"}", 2000));
        QCOMPARE(runOnDb({QStringLiteral("--headless"), QStringLiteral("--batch"), batch}).exitCode, 0);
        QFile file(db());
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() > 8 * 4096);
        QVERIFY(file.seek(3 * 4096));
        QCOMPARE(file.write(QByteArray(4 * 4096, '\xff')), 4 * 4096);
        file.close();
        const QByteArray before = sha256(db());

        const Run r = runOnDb(arguments);
        QCOMPARE(r.exitCode, 3);
        // A headless run that stops on a runtime error still reports what it did: nothing.
        QVERIFY2(r.out.isEmpty() || r.out.startsWith("{\"imported\":0,\"succeeded\":0,"), r.out.constData());
        QVERIFY2(r.err.startsWith("workdeck: ") && r.err.contains("damaged"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(sha256(db()), before);
    }

    // 8. ---------------------------------------------------------------------------------------

    void sigtermStopsARunAndKeepsTheTasksPending()
    {
        const QString batch = writeFile(QStringLiteral("s.jsonl"), repeatLine("{\"duration_ms\":60000}", 20));
        QProcess process;
        start(process, {QStringLiteral("--db"), db(), QStringLiteral("--headless"), QStringLiteral("--batch"),
                        batch, QStringLiteral("--workers"), QStringLiteral("2")});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(tasksIn("running") == 2 || process.state() == QProcess::NotRunning, 20'000);
        QVERIFY2(process.state() == QProcess::Running, process.readAllStandardError().constData());
        QCOMPARE(tasksIn("pending"), qint64(18));
        // While it runs, SQLite's side files are as private as the database.
        for (const QString& file : QStringList{db(), db() + u"-wal", db() + u"-shm"}) {
            QVERIFY2(QFile::exists(file), qPrintable(file));
            QVERIFY2(QFile::permissions(file) == ownerOnly(),
                     qPrintable(file + u" has permissions 0x" +
                                QString::number(QFile::permissions(file).toInt(), 16)));
        }

        process.terminate();
        // The running tasks get the 5 s grace period, then are stopped.
        QVERIFY2(process.waitForFinished(15'000), "workdeck did not stop after SIGTERM");
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 1);
        const QByteArray out = process.readAllStandardOutput();
        QVERIFY2(summaryPattern(20, 0, 0).match(QString::fromUtf8(out)).hasMatch(), out.constData());

        QCOMPARE(status().out, statusLine(0, 20, 0, 0, 0));
        // The interrupted attempts were not the tasks' fault.
        QCOMPARE(number(QStringLiteral("SELECT max(attempts) FROM tasks")), qint64(0));
        QCOMPARE(sql(db(), QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
    }

    // 9. ---------------------------------------------------------------------------------------

    void survivesRepeatedKillNine()
    {
        constexpr int Tasks = 3000;
        const QString batch =
            writeFile(QStringLiteral("k.jsonl"), repeatLine("{\"duration_ms\":1,\"max_retries\":5}", Tasks));
        const QStringList resume{QStringLiteral("--db"), db(), QStringLiteral("--headless"),
                                 QStringLiteral("--workers"), QStringLiteral("2")};
        qint64 progress = 0;
        for (int round = 0; round < 4; ++round) {
            QProcess process;
            // The first run imports the batch; the later ones only resume what is stored.
            start(process, round == 0 ? resume + QStringList{QStringLiteral("--batch"), batch} : resume);
            QVERIFY(process.waitForStarted());
            const qint64 target = progress + (round == 0 ? 200 : 100);
            QTRY_VERIFY_WITH_TIMEOUT(tasksIn("succeeded") > target || process.state() == QProcess::NotRunning,
                                     20'000);
            QVERIFY2(process.state() == QProcess::Running,
                     qPrintable(u"round " + QString::number(round) + u" ended on its own: " +
                                QString::fromUtf8(process.readAllStandardError())));
            process.kill();
            QVERIFY(process.waitForFinished(ProcessTimeoutMs));
            QCOMPARE(process.exitStatus(), QProcess::CrashExit);

            // Imported once, never twice, whatever the crash interrupted.
            QCOMPARE(number(QStringLiteral("SELECT count(*) FROM tasks")), qint64(Tasks));
            progress = tasksIn("succeeded");
            QVERIFY(progress > target);
        }

        const Run last = run(resume);
        QCOMPARE(last.exitCode, 0);
        QJsonParseError error{};
        const QJsonObject summary = QJsonDocument::fromJson(last.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, last.out.constData());
        QCOMPARE(summary.value(u"imported").toInteger(-1), qint64(0));
        QCOMPARE(summary.value(u"failed").toInteger(-1), qint64(0));
        // What the last run reports is what it added to the database.
        QCOMPARE(summary.value(u"succeeded").toInteger(-1), tasksIn("succeeded") - progress);

        QCOMPARE(sql(db(), QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
        QCOMPARE(number(QStringLiteral("SELECT count(*) FROM tasks")), qint64(Tasks));
        QCOMPARE(number(QStringLiteral("SELECT count(DISTINCT uuid) FROM tasks")), qint64(Tasks));
        QCOMPARE(tasksIn("running"), qint64(0));
        QCOMPARE(tasksIn("pending"), qint64(0));
        QCOMPARE(tasksIn("retrying"), qint64(0));
        // Nothing is lost: every task either ran to success or is dead-lettered as interrupted.
        QCOMPARE(number(QStringLiteral("SELECT count(*) FROM tasks WHERE state = 'succeeded' OR "
                                       "(state = 'failed' AND error = 'interrupted')")),
                 qint64(Tasks));
        // Each kill charges at most one attempt to the tasks it interrupts (SPEC S2 keeps the
        // count), and five retries outlast four kills: every task succeeds in the end.
        QCOMPARE(tasksIn("succeeded"), qint64(Tasks));
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
