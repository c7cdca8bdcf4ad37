#include "Database.h"
#include "SqlText.h"
#include "TaskStore.h"
#include "TestKinds.h"
#include "UserStore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <sqlite3.h>

using namespace workdeck;
using test::sqlText;
using test::TestRegistry;

namespace {

QJsonObject simulate(qint64 durationMs)
{
    return {{QStringLiteral("duration_ms"), durationMs}};
}

} // namespace

class TestTaskStore : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;

    std::vector<TaskSpec> specs(int count, qint64 durationMs = 5)
    {
        return std::vector<TaskSpec>(static_cast<std::size_t>(count),
                                     m_kinds.spec(u"simulate", simulate(durationMs), 3, 2));
    }

private slots:
    void init()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("t.sqlite")));
        auto db = Database::open(m_dir.filePath(QStringLiteral("t.sqlite")));
        QVERIFY(db.ok());
        m_db = std::move(*db);
    }
    void cleanup() { m_db.reset(); }

    void insertStoresEveryFieldAndGivesIds()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto batch = specs(3);
        QVERIFY(store.insert(batch).ok());
        QCOMPARE(batch[0].id, TaskId(1));
        QCOMPARE(batch[2].id, TaskId(3));
        QCOMPARE(
            sqlText(*m_db, QStringLiteral("SELECT kind || ' ' || priority || ' ' || max_retries || ' ' || "
                                          "timeout_ms || ' ' || state || ' ' || attempts || ' ' || params "
                                          "FROM tasks WHERE id = 2")),
            QStringLiteral("simulate 3 2 10000 pending 0 {\"duration_ms\":5,\"fail_attempts\":0}"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(DISTINCT uuid) FROM tasks")),
                 QStringLiteral("3"));
        QCOMPARE(QUuid::fromString(sqlText(*m_db, QStringLiteral("SELECT uuid FROM tasks WHERE id = 1")))
                     .version(),
                 QUuid::Random);
        auto more = specs(2);
        QVERIFY(store.insert(more).ok());
        QCOMPARE(more[0].id, TaskId(4)); // ids continue after the stored ones
    }

    void everyTaskGetsItsStatusWithTheAttemptsItAlreadyUsed()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto batch = specs(5);
        batch[3].attempts = 2; // a task carried over with attempts used
        QVERIFY(store.insert(batch).ok());
        QCOMPARE(
            sqlText(*m_db, QStringLiteral("SELECT group_concat(id || ':' || state || ':' || attempts, ' ') "
                                          "FROM task_status")),
            QStringLiteral("1:pending:0 2:pending:0 3:pending:0 4:pending:2 5:pending:0"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM task_specs")), QStringLiteral("5"));
    }

    void aFullDiskInsertsNothing()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto first = specs(10);
        QVERIFY(store.insert(first).ok());
        const QByteArray limit = "PRAGMA max_page_count = " +
                                 QByteArray::number(*m_db->scalar(QStringLiteral("PRAGMA page_count")) + 2);
        QVERIFY(m_db->exec(limit.constData()).ok());
        auto batch = specs(20'000);
        const auto stored = store.insert(batch);
        QVERIFY(!stored.ok());
        QVERIFY2(stored.error().message.contains(u"full"), qPrintable(stored.error().message));
        QCOMPARE(batch.front().id, TaskId(0));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks")), QStringLiteral("10"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM task_status")), QStringLiteral("10"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
    }

    void cancelWhileStoringStoresNothing()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto first = specs(3);
        QVERIFY(store.insert(first).ok());
        // The database itself raises the flag once the 10,000th new row is in, mid-insert.
        static std::atomic_bool cancel;
        cancel = false;
        QCOMPARE(sqlite3_create_function(
                     m_db->handle(), "raise_cancel", 0, SQLITE_UTF8, nullptr,
                     [](sqlite3_context* context, int, sqlite3_value**) {
                         cancel = true;
                         sqlite3_result_null(context);
                     },
                     nullptr, nullptr),
                 SQLITE_OK);
        QVERIFY(m_db->exec("CREATE TEMP TRIGGER cancel_midway AFTER INSERT ON task_specs WHEN new.id = 10003 "
                           "BEGIN SELECT raise_cancel(); END;")
                    .ok());
        auto batch = specs(50'000);
        const auto stored = store.insert(batch, &cancel);
        QVERIFY(cancel);
        QVERIFY(!stored.ok());
        QVERIFY2(stored.error().message.contains(u"cancelled"), qPrintable(stored.error().message));
        QCOMPARE(batch.front().id, TaskId(0));
        QCOMPARE(batch.back().id, TaskId(0));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks")), QStringLiteral("3"));

        cancel = false;
        QVERIFY(m_db->exec("DROP TRIGGER cancel_midway").ok());
        QVERIFY(store.insert(batch, &cancel).ok()); // the same batch, not cancelled, goes in whole
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks")), QStringLiteral("50003"));
    }

    void recoversInterruptedTasks()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto batch = specs(5); // max_retries 2
        QVERIFY(store.insert(batch).ok());
        QVERIFY(m_db->exec("UPDATE tasks SET state = 'running', attempts = 1 WHERE id = 1;"
                           "UPDATE tasks SET state = 'running', attempts = 3 WHERE id = 2;"
                           "UPDATE tasks SET state = 'retrying', attempts = 2 WHERE id = 3;"
                           "UPDATE tasks SET state = 'succeeded', attempts = 1 WHERE id = 4;")
                    .ok());
        const auto recovery = store.recover();
        QVERIFY(recovery.ok());
        QCOMPARE(recovery->requeued, qint64(2));
        QCOMPARE(recovery->failed, qint64(1));
        QCOMPARE(recovery->ids, (std::vector<TaskId>{1, 2, 3}));
        QCOMPARE(
            sqlText(*m_db, QStringLiteral("SELECT group_concat(id || ':' || state || ':' || attempts, ' ') "
                                          "FROM (SELECT * FROM tasks ORDER BY id)")),
            QStringLiteral("1:pending:1 2:failed:3 3:pending:2 4:succeeded:1 5:pending:0"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT error FROM tasks WHERE id = 2")),
                 QStringLiteral("interrupted"));
        QCOMPARE(store.recover()->total(), qint64(0));
    }

    void loadsThePendingTasksAmongGivenIds()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto batch = specs(4);
        QVERIFY(store.insert(batch).ok());
        QVERIFY(m_db->exec("UPDATE tasks SET state = 'failed' WHERE id = 2").ok());
        std::vector<TaskId> handed;
        const auto loaded =
            store.loadPending({2, 3, 4, 77}, [&](std::vector<TaskSpec>&& specs) -> Result<void> {
                for (const TaskSpec& spec : specs)
                    handed.push_back(spec.id);
                return {};
            });
        QVERIFY(loaded.ok());
        QCOMPARE(*loaded, 2);
        QCOMPARE(handed, (std::vector<TaskId>{3, 4}));
        QCOMPARE(TaskStore::idList({}), QStringLiteral("[]"));
        QCOMPARE(TaskStore::idList({1, 18446744073709551615ULL}), QStringLiteral("[1,18446744073709551615]"));
    }

    void loadsPendingTasksInChunksSharingParameters()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto batch = specs(5);
        batch[4] = m_kinds.spec(u"simulate", simulate(9));
        QVERIFY(store.insert(batch).ok());
        QVERIFY(m_db->exec("UPDATE tasks SET attempts = 1 WHERE id = 2; "
                           "UPDATE tasks SET state = 'succeeded' WHERE id = 3")
                    .ok());
        std::vector<std::vector<TaskSpec>> chunks;
        const auto loaded = store.loadPending(
            [&](std::vector<TaskSpec>&& chunk) -> Result<void> {
                chunks.push_back(std::move(chunk));
                return {};
            },
            2);
        QVERIFY(loaded.ok());
        QCOMPARE(*loaded, qint64(4));
        QCOMPARE(chunks.size(), std::size_t(2));
        QCOMPARE(chunks[0][0].id, TaskId(1));
        QCOMPARE(chunks[0][1].id, TaskId(2));
        QCOMPARE(chunks[0][1].attempts, 1);
        QCOMPARE(chunks[0][1].maxRetries, 2);
        QCOMPARE(chunks[0][1].priority, 3);
        QCOMPARE(chunks[1][1].id, TaskId(5));
        QCOMPARE(chunks[0][0].params.get(), chunks[1][0].params.get()); // equal parameters, one object
        QVERIFY(chunks[1][1].params.get() != chunks[0][0].params.get());
    }

    void failsStoredTasksThatCanNoLongerRun_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown kind") << QStringLiteral("kind = 'teleport'")
                                      << QStringLiteral("cannot be run: kind: unknown kind \"teleport\"");
        QTest::newRow("params not JSON") << QStringLiteral("params = '{oops'")
                                         << QStringLiteral("cannot be run: params: not a JSON object");
        QTest::newRow("params out of range")
            << QStringLiteral("params = '{\"duration_ms\":-5}'")
            << QStringLiteral("cannot be run: duration_ms: must be an integer from 0 to 86400000, not -5");
    }

    void failsStoredTasksThatCanNoLongerRun()
    {
        QFETCH(QString, change);
        QFETCH(QString, error);
        TaskStore store(*m_db, m_kinds.registry);
        auto batch = specs(2);
        QVERIFY(store.insert(batch).ok());
        QSqlQuery q = m_db->query();
        QVERIFY(q.exec(u"UPDATE tasks SET " + change + u" WHERE id = 1"));
        qint64 handed = 0;
        const auto loaded = store.loadPending([&](std::vector<TaskSpec>&& chunk) -> Result<void> {
            handed += static_cast<qint64>(chunk.size());
            return {};
        });
        QVERIFY(loaded.ok());
        QCOMPARE(handed, qint64(1));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT state || ': ' || error FROM tasks WHERE id = 1")),
                 u"failed: " + error);
    }

    void countsByState()
    {
        TaskStore store(*m_db, m_kinds.registry);
        auto batch = specs(4);
        QVERIFY(store.insert(batch).ok());
        QVERIFY(m_db->exec("UPDATE tasks SET state = 'failed' WHERE id > 2").ok());
        const auto counts = store.countByState();
        QVERIFY(counts.ok());
        QCOMPARE((*counts)[std::size_t(TaskState::Pending)], qint64(2));
        QCOMPARE((*counts)[std::size_t(TaskState::Failed)], qint64(2));
        QCOMPARE((*counts)[std::size_t(TaskState::Succeeded)], qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestTaskStore)
#include "tst_taskstore.moc"
