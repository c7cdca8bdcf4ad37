#include "Database.h"
#include "HistoryBatchTable.h"
#include "SqlText.h"
#include "SqliteStatement.h"
#include "TaskStore.h"
#include "TestKinds.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;
using test::sqlText;
using test::TestRegistry;

class TestHistoryBatchTable : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HistoryBatchTable> m_table;

    QString column(TaskId id, const char* name)
    {
        return sqlText(*m_db, u"SELECT quote(" + QLatin1String(name) + u") FROM tasks WHERE id = " +
                                  QString::number(id));
    }

    Result<void> apply()
    {
        auto update = SqliteStatement::prepare(m_db->handle(), HistoryBatchTable::UpdateSql);
        if (!update)
            return update.error();
        return m_db->write([&] { return update->run(); });
    }

private slots:
    void init()
    {
        const QString path = m_dir.filePath(QStringLiteral("b.sqlite"));
        QFile::remove(path);
        auto db = Database::open(path);
        QVERIFY(db.ok());
        m_db = std::move(*db);
        std::vector<TaskSpec> specs(3, m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 0}}));
        QVERIFY(TaskStore(*m_db, m_kinds.registry).insert(specs).ok());
        auto table = HistoryBatchTable::install(m_db->handle());
        QVERIFY(table.ok());
        m_table = std::move(*table);
    }
    void cleanup()
    {
        m_db.reset();
        m_table.reset();
    }

    void rowsReachTheirTasksAndNoOthers()
    {
        m_table->clear(2);
        HistoryBatchTable::Row done{1, TaskState::Succeeded, 1, 1000, 1250, true};
        m_table->append(done, QStringLiteral("déjà vu ✓"), {});
        HistoryBatchTable::Row failed{3, TaskState::Failed, 2, 2000, 2100, true};
        m_table->append(failed, {}, QStringLiteral("exit code 3; DROP TABLE tasks; --"));
        QVERIFY(apply().ok());

        QCOMPARE(column(1, "state"), QStringLiteral("'succeeded'"));
        QCOMPARE(column(1, "attempts"), QStringLiteral("1"));
        QCOMPARE(column(1, "started_at"), QStringLiteral("1000"));
        QCOMPARE(column(1, "finished_at"), QStringLiteral("1250"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT output FROM tasks WHERE id = 1")),
                 QStringLiteral("déjà vu ✓"));
        QCOMPARE(column(1, "error"), QStringLiteral("NULL"));
        QCOMPARE(column(2, "state"), QStringLiteral("'pending'")); // not in the batch
        QCOMPARE(column(3, "state"), QStringLiteral("'failed'"));
        QCOMPARE(column(3, "output"), QStringLiteral("NULL"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT error FROM tasks WHERE id = 3")),
                 QStringLiteral("exit code 3; DROP TABLE tasks; --"));
        QCOMPARE(sqlText(*m_db, QStringLiteral("SELECT count(*) FROM tasks")), QStringLiteral("3"));
    }

    void aRunningReportKeepsTheLastResultAndAnUnknownStartKeepsTheStoredOne()
    {
        m_table->clear(1);
        m_table->append({1, TaskState::Retrying, 1, 1000, -1, true}, QStringLiteral("first try"),
                        QStringLiteral("boom"));
        QVERIFY(apply().ok());
        m_table->clear(1);
        m_table->append({1, TaskState::Running, 2, -1, -1, false}, {}, {});
        QVERIFY(apply().ok());
        QCOMPARE(column(1, "state"), QStringLiteral("'running'"));
        QCOMPARE(column(1, "attempts"), QStringLiteral("2"));
        QCOMPARE(column(1, "started_at"), QStringLiteral("1000"));
        QCOMPARE(column(1, "finished_at"), QStringLiteral("NULL"));
        QCOMPARE(column(1, "output"), QStringLiteral("'first try'"));
        QCOMPARE(column(1, "error"), QStringLiteral("'boom'"));
    }

    void rowsSharingAnOutputEachGetIt()
    {
        const QString shared = QStringLiteral("simulated by worker 1");
        m_table->clear(3);
        for (TaskId id = 1; id <= 3; ++id)
            m_table->append({id, TaskState::Succeeded, 1, 1000, 1000, true}, id == 2 ? QString() : shared,
                            {});
        QVERIFY(apply().ok());
        QCOMPARE(column(1, "output"), QStringLiteral("'simulated by worker 1'"));
        QCOMPARE(column(2, "output"), QStringLiteral("NULL"));
        QCOMPARE(column(3, "output"), QStringLiteral("'simulated by worker 1'"));
    }

    void aFullDiskLeavesEveryTaskAsItWas()
    {
        const auto pages = m_db->scalar(QStringLiteral("PRAGMA page_count"));
        QVERIFY(pages.ok());
        const QByteArray limit = "PRAGMA max_page_count = " + QByteArray::number(*pages);
        QVERIFY(m_db->exec(limit.constData()).ok());
        const QString large(100'000, QLatin1Char('x')); // needs pages the file may not grow by
        m_table->clear(3);
        for (TaskId id = 1; id <= 3; ++id)
            m_table->append({id, TaskState::Succeeded, 1, 1000, 1000, true}, large + QString::number(id), {});
        const auto applied = apply();
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().message.contains(u"full", Qt::CaseInsensitive),
                 qPrintable(applied.error().message));
        for (TaskId id = 1; id <= 3; ++id) {
            QCOMPARE(column(id, "state"), QStringLiteral("'pending'"));
            QCOMPARE(column(id, "output"), QStringLiteral("NULL"));
        }
    }

    void theBatchIsReadOnceAndTheTasksFoundByIdFromIt()
    {
        QSqlQuery plan = m_db->query();
        QVERIFY(plan.exec(u"EXPLAIN QUERY PLAN " + QString::fromLatin1(HistoryBatchTable::UpdateSql)));
        QStringList steps;
        while (plan.next())
            steps << plan.value(3).toString();
        QCOMPARE(steps.size(), 2);
        QVERIFY2(steps[0].startsWith(u"SCAN b"), qPrintable(steps.join(u" | ")));
        QVERIFY2(steps[1].contains(u"SEARCH task_status USING INTEGER PRIMARY KEY"),
                 qPrintable(steps.join(u" | ")));
    }
};

QTEST_GUILESS_MAIN(TestHistoryBatchTable)
#include "tst_historybatchtable.moc"
