#include "Database.h"
#include "SearchIndex.h"
#include "TaskBrowser.h"
#include "TaskStore.h"
#include "TestKinds.h"
#include "UserStore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace workdeck;
using test::TestRegistry;

class TestTaskBrowser : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    QString m_grace;

    /// `count` simulate tasks; priorities cycle through 0..3 so that sorting has ties.
    void store(int count, const QString& userId = {})
    {
        std::vector<TaskSpec> specs;
        for (int i = 0; i < count; ++i) {
            TaskSpec spec = m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 5}}, i % 4);
            spec.userId = userId;
            specs.push_back(std::move(spec));
        }
        QVERIFY(TaskStore(*m_db, m_kinds.registry).insert(specs).ok());
    }
    void exec(const char* sql) { QVERIFY2(m_db->exec(sql).ok(), sql); }

    /// Every row of `filter` in `sort` order, read `pageSize` at a time.
    QList<TaskRow> walk(const TaskFilter& filter, const TaskSort& sort, int pageSize)
    {
        TaskBrowser browser(*m_db);
        QList<TaskRow> all;
        std::optional<TaskCursor> after;
        for (;;) {
            auto page = browser.page(filter, sort, after, pageSize);
            if (!page) {
                qWarning("%s", qPrintable(page.error().message));
                return {};
            }
            all.append(*page);
            if (page->size() < pageSize)
                return all;
            after = TaskBrowser::cursorAfter(page->last(), sort);
        }
    }

    static QList<TaskId> idsOf(const QList<TaskRow>& rows)
    {
        QList<TaskId> ids;
        for (const TaskRow& row : rows)
            ids.append(row.id);
        return ids;
    }

private slots:
    void init()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("t.sqlite")));
        auto db = Database::open(m_dir.filePath(QStringLiteral("t.sqlite")));
        QVERIFY(db.ok());
        m_db = std::move(*db);
        auto grace = UserStore(*m_db).create({QStringLiteral("grace@example.org"), QStringLiteral("Grace")});
        QVERIFY(grace.ok());
        m_grace = grace->id;
    }
    void cleanup() { m_db.reset(); }

    void pagesNewestFirstWithoutGapsOrRepeats()
    {
        store(25);
        const QList<TaskRow> rows = walk({}, {}, 7);
        QCOMPARE(rows.size(), 25);
        for (int i = 0; i < rows.size(); ++i)
            QCOMPARE(rows[i].id, TaskId(25 - i));
        TaskSort oldest;
        oldest.descending = false;
        QCOMPARE(walk({}, oldest, 4).first().id, TaskId(1));
    }

    void aPageHasEveryColumnOfTheNewestTasksWithTheirUser()
    {
        TaskStore store(*m_db, m_kinds.registry);
        std::vector<TaskSpec> batch(3, m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 5}}, 3, 2));
        batch[1].userId = m_grace;
        QVERIFY(store.insert(batch).ok());
        QVERIFY(
            m_db->exec("UPDATE tasks SET state = 'failed', attempts = 3, started_at = 5, finished_at = 9, "
                       "error = 'boom' WHERE id = 2")
                .ok());
        const auto rows = TaskBrowser(*m_db).page({}, {}, std::nullopt, 2);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).id, TaskId(3));
        QCOMPARE(rows->at(0).startedAtMs, -1);
        QCOMPARE(rows->at(0).userEmail, QString());
        const TaskRow& second = rows->at(1);
        QCOMPARE(second.id, TaskId(2));
        QCOMPARE(second.kind, QStringLiteral("simulate"));
        QCOMPARE(second.state, TaskState::Failed);
        QCOMPARE(second.priority, 3);
        QCOMPARE(second.maxRetries, 2);
        QCOMPARE(second.attempts, 3);
        QCOMPARE(second.userEmail, QStringLiteral("grace@example.org"));
        QCOMPARE(second.startedAtMs, 5);
        QCOMPARE(second.finishedAtMs, 9);
        QCOMPARE(second.error, QStringLiteral("boom"));
    }

    void sortsByAKeyWithTiesAcrossPages_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<bool>("descending");
        QTest::newRow("priority, highest first") << int(TaskSort::Priority) << true;
        QTest::newRow("priority, lowest first") << int(TaskSort::Priority) << false;
        QTest::newRow("attempts") << int(TaskSort::Attempts) << true;
        QTest::newRow("started, missing times") << int(TaskSort::Started) << true;
        QTest::newRow("finished") << int(TaskSort::Finished) << false;
        QTest::newRow("duration") << int(TaskSort::Duration) << true;
    }
    void sortsByAKeyWithTiesAcrossPages()
    {
        QFETCH(int, key);
        QFETCH(bool, descending);
        store(30);
        exec("UPDATE tasks SET state = 'succeeded', attempts = id % 3, started_at = 1000 + id % 5, "
             "finished_at = 2000 + id % 7 WHERE id % 2 = 0");
        const TaskSort sort{static_cast<TaskSort::Key>(key), descending};
        const QList<TaskRow> rows = walk({}, sort, 4);
        QCOMPARE(rows.size(), 30);
        const QList<TaskId> ids = idsOf(rows);
        QCOMPARE(std::set<TaskId>(ids.begin(), ids.end()).size(), std::size_t(30));
        for (int i = 1; i < rows.size(); ++i) {
            const TaskCursor a = TaskBrowser::cursorAfter(rows[i - 1], sort);
            const TaskCursor b = TaskBrowser::cursorAfter(rows[i], sort);
            const auto pair = [](const TaskCursor& c) { return std::pair(c.value, c.id); };
            QVERIFY2(descending ? pair(a) > pair(b) : pair(a) < pair(b), qPrintable(QString::number(i)));
        }
    }

    void filtersByStateKindAndUser()
    {
        store(10);
        store(5, m_grace);
        exec("UPDATE tasks SET state = 'failed', error = 'boom' WHERE id IN (2, 4, 12)");
        TaskFilter failed;
        failed.state = TaskState::Failed;
        QCOMPARE(idsOf(walk(failed, {}, 2)), (QList<TaskId>{12, 4, 2}));
        TaskFilter graces;
        graces.userId = m_grace;
        const QList<TaskRow> rows = walk(graces, {}, 2);
        QCOMPARE(idsOf(rows), (QList<TaskId>{15, 14, 13, 12, 11}));
        QCOMPARE(rows.first().userEmail, QStringLiteral("grace@example.org"));
        graces.state = TaskState::Failed;
        QCOMPARE(idsOf(walk(graces, {}, 2)), (QList<TaskId>{12}));
        TaskFilter kind;
        kind.kind = QStringLiteral("checksum");
        QVERIFY(walk(kind, {}, 5).isEmpty());
        kind.kind = QStringLiteral("simulate");
        QCOMPARE(walk(kind, {}, 5).size(), 15);
    }

    void filtersByAListOfIds()
    {
        store(6);
        TaskFilter recovered;
        recovered.ids = {2, 5, 9};
        QCOMPARE(idsOf(walk(recovered, {}, 1)), (QList<TaskId>{5, 2}));
        recovered.state = TaskState::Pending;
        QCOMPARE(*TaskBrowser(*m_db).ids(recovered, {TaskState::Pending}), (std::vector<TaskId>{2, 5}));
    }

    void aStateFilterReadsItsIndexInIdOrderWithoutSorting()
    {
        for (const char* state : {"pending", "failed"}) {
            QSqlQuery plan = m_db->query();
            QVERIFY(plan.exec(u"EXPLAIN QUERY PLAN SELECT id, kind, params FROM tasks WHERE state = '" +
                              QLatin1String(state) + u"' ORDER BY id DESC LIMIT 1000"));
            QStringList steps;
            while (plan.next())
                steps << plan.value(3).toString();
            QVERIFY2(!steps.join(u' ').contains(u"TEMP B-TREE"), qPrintable(steps.join(u" | ")));
        }
    }

    void aStateFilterUsesAnIndexForFailedAndCancelled()
    {
        QSqlQuery plan = m_db->query();
        QVERIFY(plan.exec(QStringLiteral(
            "EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE state = 'failed' ORDER BY id DESC")));
        QVERIFY(plan.next());
        QVERIFY2(plan.value(3).toString().contains(u"task_status_unsuccessful"),
                 qPrintable(plan.value(3).toString()));
    }

    void newerListsWhatWasAddedSince()
    {
        store(5);
        TaskBrowser browser(*m_db);
        auto rows = browser.newer({}, 3, 100);
        QVERIFY(rows.ok());
        QCOMPARE(idsOf(*rows), (QList<TaskId>{5, 4}));
        TaskFilter failed;
        failed.state = TaskState::Failed;
        QVERIFY(browser.newer(failed, 0, 100)->isEmpty());
    }

    void searchFindsParametersOutputAndErrorsOnceIndexed()
    {
        store(6);
        exec("UPDATE tasks SET state = 'succeeded', output = 'checksum 4f2a of archive.tar' WHERE id = 2");
        exec("UPDATE tasks SET state = 'failed', error = 'disk quota exceeded' WHERE id = 5");
        SearchIndex index(*m_db);
        QCOMPARE(*index.addNew(), 6);
        TaskFilter filter;
        filter.search = QStringLiteral("archiv");
        QCOMPARE(idsOf(walk(filter, {}, 10)), (QList<TaskId>{2}));
        filter.search = QStringLiteral("QUOTA disk");
        QCOMPARE(idsOf(walk(filter, {}, 10)), (QList<TaskId>{5}));
        filter.search = QStringLiteral("duration_ms");
        QCOMPARE(walk(filter, {}, 4).size(), 6);
        filter.state = TaskState::Failed;
        QCOMPARE(idsOf(walk(filter, {}, 4)), (QList<TaskId>{5}));

        // A change is found once the index hears of it.
        exec("UPDATE tasks SET error = 'network unreachable' WHERE id = 3");
        TaskFilter network;
        network.search = QStringLiteral("unreachable");
        QVERIFY(walk(network, {}, 10).isEmpty());
        QVERIFY(index.refresh({3}).ok());
        QCOMPARE(idsOf(walk(network, {}, 10)), (QList<TaskId>{3}));
    }

    void searchTextIsNeverSyntax_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("sql") << QStringLiteral("Robert'); DROP TABLE tasks;--");
        QTest::newRow("fts operators") << QStringLiteral("a OR b NOT c NEAR(d) * ^ :");
        QTest::newRow("quotes") << QStringLiteral("\"\"\" '");
        QTest::newRow("nul") << QStringLiteral("a") + QChar(0) + QStringLiteral("b");
        QTest::newRow("lone surrogate") << QString(QChar(0xD800));
        QTest::newRow("only spaces") << QStringLiteral("   ");
    }
    void searchTextIsNeverSyntax()
    {
        QFETCH(QString, text);
        store(3);
        QVERIFY(SearchIndex(*m_db).addNew().ok());
        TaskFilter filter;
        filter.search = text;
        auto page = TaskBrowser(*m_db).page(filter, {}, std::nullopt, 10);
        QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message));
        QVERIFY(page->size() <= 3);
        QCOMPARE(*m_db->scalar(QStringLiteral("SELECT count(*) FROM tasks")), 3);
    }

    void idsSelectsMatchingTasksInGivenStates()
    {
        store(6);
        exec("UPDATE tasks SET state = 'failed' WHERE id IN (1, 2)");
        exec("UPDATE tasks SET state = 'cancelled' WHERE id = 6");
        auto ids = TaskBrowser(*m_db).ids({}, {TaskState::Failed, TaskState::Cancelled});
        QVERIFY(ids.ok());
        QCOMPARE(*ids, (std::vector<TaskId>{1, 2, 6}));
        TaskFilter failed;
        failed.state = TaskState::Failed;
        QCOMPARE(TaskBrowser(*m_db).ids(failed, {})->size(), std::size_t(2));
    }

    void detailHasParametersEveryAttemptOutputAndError()
    {
        store(1, m_grace);
        exec("UPDATE tasks SET state = 'succeeded', attempts = 3, started_at = 5000, finished_at = 5400, "
             "output = 'simulated by worker 2' WHERE id = 1");
        exec("INSERT INTO attempts(task_id, attempt, worker, started_at, finished_at, state, error) VALUES "
             "(1, 2, 1, 3000, 3100, 'retrying', 'simulated failure'), "
             "(1, 1, 2, 1000, 1100, 'retrying', 'simulated failure')");
        auto detail = TaskBrowser(*m_db).detail(1);
        QVERIFY(detail.ok());
        QCOMPARE(detail->row.state, TaskState::Succeeded);
        QCOMPARE(detail->userName, QStringLiteral("Grace"));
        QVERIFY(detail->params.contains(u"duration_ms"));
        QCOMPARE(detail->timeoutMs, 10'000);
        QCOMPARE(detail->output, QStringLiteral("simulated by worker 2"));
        QCOMPARE(detail->uuid.size(), 36);
        QCOMPARE(detail->attempts.size(), 3);
        QCOMPARE(detail->attempts[0].attempt, 1);
        QCOMPARE(detail->attempts[0].worker, 2);
        QCOMPARE(detail->attempts[1].error, QStringLiteral("simulated failure"));
        QCOMPARE(detail->attempts[2].state, TaskState::Succeeded);
        QCOMPARE(detail->attempts[2].finishedAtMs - detail->attempts[2].startedAtMs, 400);
    }

    void detailOfAMissingTaskIsAnError()
    {
        auto detail = TaskBrowser(*m_db).detail(42);
        QVERIFY(!detail.ok());
        QCOMPARE(detail.error().message, QStringLiteral("task not found"));
    }
};

QTEST_GUILESS_MAIN(TestTaskBrowser)
#include "tst_taskbrowser.moc"
