#include "Database.h"
#include "HistoryWriter.h"
#include "SqlText.h"
#include "TaskStore.h"
#include "TestKinds.h"

#include <QFileInfo>
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

    void aBatchWritesEachTaskItsLastStateAndEveryAttempt()
    {
        auto writer = HistoryWriter::start(m_path);
        QVERIFY(writer.ok());
        // One post is one batch: changes of several tasks, interleaved and out of id order.
        (*writer)->post(
            {change(9, TaskState::Running, 1, 100), change(4, TaskState::Running, 1, 110),
             change(9, TaskState::Retrying, 1, 100, 5, QStringLiteral("o9"), QStringLiteral("e1")),
             change(4, TaskState::Succeeded, 1, 110, 7, QStringLiteral("done 4")),
             change(9, TaskState::Pending, 1), change(9, TaskState::Running, 2, 200),
             change(9, TaskState::Failed, 2, 200, 3, QStringLiteral("o9b"), QStringLiteral("e2")),
             change(6, TaskState::Running, 1, 300)});
        QVERIFY((*writer)->flush().ok());
        QCOMPARE((*writer)->committed(), qint64(8));
        const auto row = [this](int id) {
            return sqlText(*m_db,
                           u"SELECT state || '|' || attempts || '|' || coalesce(started_at, '-') || '|' || "
                           u"coalesce(finished_at, '-') || '|' || coalesce(output, '-') || '|' || "
                           u"coalesce(error, '-') FROM tasks WHERE id = " +
                               QString::number(id));
        };
        QCOMPARE(row(4), QStringLiteral("succeeded|1|110|117|done 4|-"));
        QCOMPARE(row(6), QStringLiteral("running|1|300|-|-|-"));
        QCOMPARE(row(9), QStringLiteral("failed|2|200|203|o9b|e2"));
        QCOMPARE(sqlText(*m_db, QStringLiteral(
                                    "SELECT group_concat(task_id || ':' || attempt || ':' || state || ':' || "
                                    "error, ' ') FROM (SELECT * FROM attempts ORDER BY id)")),
                 QStringLiteral("9:1:retrying:e1 9:2:failed:e2"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks WHERE state = 'pending'")),
                 QStringLiteral("97"));
    }

    void theLogIsCopiedBackWhileTheWriterRuns()
    {
        const qint64 before = QFileInfo(m_path).size();
        auto writer = HistoryWriter::start(m_path);
        QVERIFY(writer.ok());
        QList<TaskEvent> large; // enough pages to pass the checkpoint threshold
        for (TaskId id = 1; id <= 100; ++id)
            large.append(change(id, TaskState::Succeeded, 1, 10, 1, QString(60'000, QLatin1Char('x'))));
        (*writer)->post(large);
        QVERIFY((*writer)->flush().ok());
        // The database file grows only when a checkpoint copies the log into it; the writer
        // and this test's connection stay open, so closing cannot be what does it.
        QTRY_VERIFY(QFileInfo(m_path).size() > before + 4'000'000);
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks WHERE state = 'succeeded'")),
                 QStringLiteral("100"));
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
