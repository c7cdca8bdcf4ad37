#include "SearchIndex.h"
#include "TaskActions.h"
#include "TaskBrowser.h"
#include "TestKinds.h"
#include "Workspace.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;
using test::TestRegistry;

class TestTaskActions : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;

    QString path() const { return m_dir.filePath(QStringLiteral("a.sqlite")); }
    QString file() const { return m_dir.filePath(QStringLiteral("input.bin")); }

    void open()
    {
        WorkerPool::Options options;
        options.workers = 2;
        options.backoffBaseMs = 0;
        auto workspace = Workspace::open(path(), m_kinds.registry, options);
        QVERIFY2(workspace.ok(), qPrintable(workspace.ok() ? QString() : workspace.error().message));
        m_workspace = std::move(*workspace);
        QVERIFY(m_workspace->start().ok());
    }
    void reopen()
    {
        QVERIFY(m_workspace->close().ok());
        m_workspace.reset();
        open();
    }

    /// Checksums of a file that does not exist yet: they fail until it does.
    std::vector<TaskId> queueChecksums(int count)
    {
        std::vector<TaskSpec> specs(static_cast<std::size_t>(count),
                                    m_kinds.spec(u"checksum", {{QStringLiteral("path"), file()}}));
        auto ids = m_workspace->queue(std::move(specs));
        return ids ? *ids : std::vector<TaskId>{};
    }
    /// The stored state of each task, once the pool's changes are written.
    QList<TaskState> stored(const std::vector<TaskId>& ids)
    {
        m_workspace->pool().flushEvents();
        if (!m_workspace->writer().flush())
            return {};
        QList<TaskState> states;
        for (const TaskId id : ids) {
            auto detail = TaskBrowser(m_workspace->database()).detail(id);
            states.append(detail ? detail->row.state : TaskState::Pending);
        }
        return states;
    }
    bool settled() { return m_workspace->pool().isIdle(); }
    void createFile()
    {
        QFile input(file());
        QVERIFY(input.open(QIODevice::WriteOnly));
        input.write("workdeck");
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        QFile::remove(path());
        QFile::remove(file());
        open();
    }
    void cleanup()
    {
        if (m_workspace)
            QVERIFY(m_workspace->close().ok());
        m_workspace.reset();
    }

    void cancelStopsPendingTasksAndSkipsFinishedOnes()
    {
        m_workspace->pool().pause();
        const auto ids = queueChecksums(3);
        QCOMPARE(TaskActions(*m_workspace).cancel({ids[0], ids[2], 999}), 2);
        m_workspace->pool().resume();
        QTRY_VERIFY(settled());
        QCOMPARE(stored(ids),
                 (QList<TaskState>{TaskState::Cancelled, TaskState::Failed, TaskState::Cancelled}));
        QCOMPARE(TaskActions(*m_workspace).cancel(ids), 0);
    }

    void retryRunsFailedTasksOfThisSessionAgain()
    {
        const auto ids = queueChecksums(2);
        QTRY_VERIFY(settled());
        QCOMPARE(stored(ids), (QList<TaskState>{TaskState::Failed, TaskState::Failed}));
        createFile();
        auto retried = TaskActions(*m_workspace).retry(ids);
        QVERIFY(retried.ok());
        QCOMPARE(*retried, 2);
        QTRY_VERIFY(settled());
        QCOMPARE(stored(ids), (QList<TaskState>{TaskState::Succeeded, TaskState::Succeeded}));
        QCOMPARE(*TaskActions(*m_workspace).retry(ids), 0); // succeeded ones are left alone
    }

    void retryRunsTasksAnEarlierSessionFailedOrCancelled()
    {
        m_workspace->pool().pause();
        const auto ids = queueChecksums(3);
        QCOMPARE(TaskActions(*m_workspace).cancel({ids[2]}), 1);
        m_workspace->pool().resume();
        QTRY_VERIFY(settled());
        reopen();
        createFile();
        auto retried = TaskActions(*m_workspace).retry(ids);
        QVERIFY2(retried.ok(), qPrintable(retried.ok() ? QString() : retried.error().message));
        QCOMPARE(*retried, 3);
        QTRY_VERIFY(settled());
        QCOMPARE(stored(ids), QList<TaskState>(3, TaskState::Succeeded));
        auto detail = TaskBrowser(m_workspace->database()).detail(ids[0]);
        QCOMPARE(detail->row.attempts, 1);
        QVERIFY(detail->row.error.isEmpty());
    }

    void removeDeletesOnlyFinishedTasksWithTheirAttemptsAndSearchEntries()
    {
        const auto failed = queueChecksums(2);
        QTRY_VERIFY(settled());
        QCOMPARE(stored(failed), QList<TaskState>(2, TaskState::Failed));
        m_workspace->pool().pause();
        const auto pending = queueChecksums(1);
        Database& db = m_workspace->database();
        QVERIFY(SearchIndex(db).addNew().ok());
        QCOMPARE(*db.scalar(QStringLiteral("SELECT count(*) FROM attempts")), 2);

        auto removed = TaskActions(*m_workspace).remove({failed[0], failed[1], pending[0]});
        QVERIFY(removed.ok());
        QCOMPARE(*removed, 2);
        QCOMPARE(*db.scalar(QStringLiteral("SELECT count(*) FROM tasks")), 1);
        QCOMPARE(*db.scalar(QStringLiteral("SELECT count(*) FROM attempts")), 0);
        QCOMPARE(*db.scalar(QStringLiteral("SELECT count(*) FROM task_search")), 1);
        QCOMPARE(*TaskActions(*m_workspace).remove({}), 0);
    }

    void actionsOnEveryTaskMatchingAFilter()
    {
        m_workspace->pool().pause();
        queueChecksums(5);
        TaskFilter filter;
        filter.state = TaskState::Pending;
        auto ids = TaskBrowser(m_workspace->database()).ids(filter, {});
        QCOMPARE(ids->size(), std::size_t(5));
        QCOMPARE(TaskActions(*m_workspace).cancel(*ids), 5);
        m_workspace->pool().resume();
        QTRY_VERIFY(settled());
        QCOMPARE(stored(*ids), QList<TaskState>(5, TaskState::Cancelled));
    }
};

QTEST_GUILESS_MAIN(TestTaskActions)
#include "tst_taskactions.moc"
