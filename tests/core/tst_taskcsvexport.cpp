#include "Database.h"
#include "TaskCsvExport.h"
#include "TaskStore.h"
#include "TestKinds.h"
#include "UserStore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;
using test::TestRegistry;

namespace {

/// An independent RFC 4180 reader, so the test does not trust the writer's own rules.
QList<QStringList> readCsv(const QByteArray& bytes)
{
    const QString text = QString::fromUtf8(bytes);
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row.append(field);
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            row.append(field);
            rows.append(row);
            row.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

class TestTaskCsvExport : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;

    QString dbPath() const { return m_dir.filePath(QStringLiteral("e.sqlite")); }
    QString target() const { return m_dir.filePath(QStringLiteral("tasks.csv")); }
    void store(int count, const QString& userId = {})
    {
        std::vector<TaskSpec> specs(static_cast<std::size_t>(count),
                                    m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 1}}, 7, 2));
        for (auto& spec : specs)
            spec.userId = userId;
        QVERIFY(TaskStore(*m_db, m_kinds.registry).insert(specs).ok());
    }
    QByteArray contents()
    {
        QFile file(target());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private slots:
    void init()
    {
        QFile::remove(dbPath());
        QFile::remove(target());
        auto db = Database::open(dbPath());
        QVERIFY(db.ok());
        m_db = std::move(*db);
    }
    void cleanup() { m_db.reset(); }

    void writesTheFilteredTasksAndReadsBackTheSame()
    {
        auto user =
            UserStore(*m_db).create({QStringLiteral("o'brien+ops@example.com"), QStringLiteral("O'Brien")});
        QVERIFY(user.ok());
        store(3, user->id);
        store(2);
        QSqlQuery q = m_db->query();
        q.prepare(QStringLiteral(
            "UPDATE tasks SET state = 'failed', attempts = 3, started_at = ?, finished_at = ?, "
            "error = ? WHERE id = 2"));
        q.addBindValue(1'700'000'000'000LL);
        q.addBindValue(1'700'000'001'250LL);
        q.addBindValue(QStringLiteral("exit 2: \"no such file\", see\nline 2 — ünïcode"));
        QVERIFY(q.exec());
        TaskFilter filter;
        filter.userId = user->id;
        const auto written = TaskCsvExport::write(*m_db, target(), filter, {});
        QVERIFY(written.ok());
        QCOMPARE(*written, 3);

        const QList<QStringList> rows = readCsv(contents());
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0], TaskCsvExport::Header);
        QCOMPARE(rows[1][0], QStringLiteral("3"));
        const QStringList failed = rows[2];
        QCOMPARE(failed.size(), TaskCsvExport::Header.size());
        QCOMPARE(failed[0], QStringLiteral("2"));
        QCOMPARE(failed[1], QStringLiteral("simulate"));
        QCOMPARE(failed[2], QStringLiteral("failed"));
        QCOMPARE(failed[3], QStringLiteral("7"));
        QCOMPARE(failed[4], QStringLiteral("3"));
        QCOMPARE(failed[5], QStringLiteral("2"));
        QCOMPARE(failed[6], QStringLiteral("o'brien+ops@example.com"));
        QCOMPARE(failed[8], QStringLiteral("2023-11-14T22:13:20.000Z"));
        QCOMPARE(failed[9], QStringLiteral("2023-11-14T22:13:21.250Z"));
        QCOMPARE(failed[10], QStringLiteral("1250"));
        QCOMPARE(failed[11], QStringLiteral("exit 2: \"no such file\", see\nline 2 — ünïcode"));
        QCOMPARE(rows[3][9], QString()); // never finished
        QCOMPARE(rows[3][10], QString());
    }

    void manyPagesComeOutInOrder()
    {
        store(12'001);
        TaskSort oldest;
        oldest.descending = false;
        qint64 lastProgress = 0;
        const auto written =
            TaskCsvExport::write(*m_db, target(), {}, oldest, [&](qint64 rows) { lastProgress = rows; });
        QCOMPARE(*written, 12'001);
        QCOMPARE(lastProgress, 12'001);
        const QList<QStringList> rows = readCsv(contents());
        QCOMPARE(rows.size(), 12'002);
        for (int i = 1; i < rows.size(); ++i)
            QCOMPARE(rows[i][0].toInt(), i);
    }

    void aCancelledOrFailedExportLeavesTheOldFile()
    {
        store(10);
        QFile old(target());
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old");
        old.close();
        std::atomic_bool cancel{true};
        QVERIFY(!TaskCsvExport::write(*m_db, target(), {}, {}, {}, &cancel).ok());
        QCOMPARE(contents(), QByteArray("old"));
        const auto unwritable =
            TaskCsvExport::write(*m_db, m_dir.filePath(QStringLiteral("no/such/dir/x.csv")), {}, {});
        QVERIFY(!unwritable.ok());
        QVERIFY(unwritable.error().message.contains(u"x.csv"));
    }

    void runsInTheBackgroundWithProgress()
    {
        store(6000);
        TaskCsvExport exporter(dbPath());
        // The signals come from the export's thread; a receiver living in this thread gets them
        // queued, in order, as the window does.
        QObject receiver;
        qint64 finished = -1;
        int progress = 0;
        connect(&exporter, &TaskCsvExport::finished, &receiver,
                [&finished](qint64 rows) { finished = rows; });
        connect(&exporter, &TaskCsvExport::progress, &receiver, [&progress] { ++progress; });
        exporter.start(target(), {}, {});
        QTRY_VERIFY(finished >= 0);
        QCOMPARE(finished, 6000);
        QVERIFY(progress >= 2);
        QCOMPARE(readCsv(contents()).size(), 6001);
    }
};

QTEST_GUILESS_MAIN(TestTaskCsvExport)
#include "tst_taskcsvexport.moc"
