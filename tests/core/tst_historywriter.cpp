#include "Database.h"
#include "HistoryWriter.h"
#include "SqlText.h"
#include "TaskStore.h"
#include "TestKinds.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;
using test::sqlText;
using test::TestRegistry;

namespace {

TaskEvent change(TaskId id, TaskState state, int attempts, qint64 startedAtMs = -1, qint64 runMs = -1,
                 QString output = {}, QString error = {})
{
    TaskEvent e;
    e.id = id;
    e.state = state;
    e.attempts = attempts;
    e.worker = 1;
    e.startedAtMs = startedAtMs;
    e.runMs = runMs;
    e.atMs = startedAtMs >= 0 ? startedAtMs + std::max<qint64>(0, runMs) : 1000;
    e.output = std::move(output);
    e.error = std::move(error);
    return e;
}

} // namespace

class TestHistoryWriter : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    QString m_path;

private slots:
    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("h.sqlite"));
        QFile::remove(m_path);
        auto db = Database::open(m_path);
        QVERIFY(db.ok());
        m_db = std::move(*db);
        std::vector<TaskSpec> specs(100, m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 0}}));
        QVERIFY(TaskStore(*m_db, m_kinds.registry).insert(specs).ok());
    }
    void cleanup() { m_db.reset(); }

    void writesEveryStateChange()
    {
        auto writer = HistoryWriter::start(m_path);
        QVERIFY(writer.ok());
        (*writer)->post({change(1, TaskState::Running, 1, 5000)});
        (*writer)->post({change(1, TaskState::Retrying, 1, 5000, 20, QStringLiteral("out 1"),
                                QStringLiteral("simulated failure")),
                         change(1, TaskState::Pending, 1), change(1, TaskState::Running, 2, 7000),
                         change(1, TaskState::Succeeded, 2, 7000, 30, QStringLiteral("done"))});
        (*writer)->post({change(2, TaskState::Cancelled, 0)});
        QVERIFY((*writer)->flush().ok());
        QCOMPARE((*writer)->committed(), qint64(6));
        QCOMPARE(
            sqlText(*m_db, QStringLiteral("SELECT state || '|' || attempts || '|' || started_at || '|' || "
                                          "finished_at || '|' || output || '|' || coalesce(error, '-') "
                                          "FROM tasks WHERE id = 1")),
            QStringLiteral("succeeded|2|7000|7030|done|-"));
        // The failed attempt is kept; the one that succeeded is the task row itself.
        QCOMPARE(
            sqlText(*m_db, QStringLiteral("SELECT group_concat(attempt || ':' || state || ':' || started_at "
                                          "|| '-' || finished_at || ':' || error) FROM attempts")),
            QStringLiteral("1:retrying:5000-5020:simulated failure"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT state || '|' || finished_at FROM tasks WHERE id = 2")),
                 QStringLiteral("cancelled|1000"));
    }

    void aRunningReportKeepsTheLastResult()
    {
        auto writer = HistoryWriter::start(m_path);
        QVERIFY(writer.ok());
        (*writer)->post(
            {change(3, TaskState::Failed, 1, 100, 5, QStringLiteral("tail"), QStringLiteral("boom"))});
        QVERIFY((*writer)->flush().ok());
        (*writer)->post({change(3, TaskState::Pending, 0), change(3, TaskState::Running, 1, 900)});
        QVERIFY((*writer)->flush().ok());
        QCOMPARE(
            sqlText(*m_db, QStringLiteral("SELECT state || '|' || started_at || '|' || coalesce(finished_at, "
                                          "'-') || '|' || coalesce(error, '-') FROM tasks WHERE id = 3")),
            QStringLiteral("running|900|-|-"));
    }

    void aFullDiskKeepsWhatWasCommittedAndReportsTheRest()
    {
        {
            auto writer = HistoryWriter::start(m_path);
            QVERIFY(writer.ok());
            (*writer)->post({change(1, TaskState::Succeeded, 1, 10, 1, QStringLiteral("first"))});
            QVERIFY((*writer)->flush().ok());
        }
        const qint64 pages = *m_db->scalar(QStringLiteral("PRAGMA page_count"));
        HistoryWriter::Options full;
        full.setupSql = "PRAGMA max_page_count = " + QByteArray::number(pages);
        QList<TaskEvent> large;
        for (TaskId id = 2; id <= 100; ++id)
            large.append(change(id, TaskState::Succeeded, 1, 10, 1, QString(60'000, QLatin1Char('x'))));
        {
            auto writer = HistoryWriter::start(m_path, full);
            QVERIFY(writer.ok());
            QTest::ignoreMessage(QtWarningMsg,
                                 QRegularExpression(QStringLiteral("could not save 99 task change.*full")));
            (*writer)->post(large);
            const auto flushed = (*writer)->flush();
            QVERIFY(!flushed.ok());
            QVERIFY2(flushed.error().message.contains(u"full"), qPrintable(flushed.error().message));
            QVERIFY((*writer)->lastError().contains(u"full"));
        }
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks WHERE state = 'succeeded'")),
                 QStringLiteral("1"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT output FROM tasks WHERE id = 1")),
                 QStringLiteral("first"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
        // With room again, the same changes go in whole.
        auto writer = HistoryWriter::start(m_path);
        QVERIFY(writer.ok());
        (*writer)->post(large);
        QVERIFY((*writer)->flush().ok());
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks WHERE state = 'succeeded'")),
                 QStringLiteral("100"));
    }

    void aWriterThatCannotOpenSaysWhy()
    {
        auto writer = HistoryWriter::start(m_dir.path()); // a folder
        QVERIFY(!writer.ok());
        QVERIFY(writer.error().message.contains(u"is a folder"));
    }
};

QTEST_GUILESS_MAIN(TestHistoryWriter)
#include "tst_historywriter.moc"
