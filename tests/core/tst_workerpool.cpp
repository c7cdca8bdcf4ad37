#include "Backoff.h"
#include "TestKinds.h"
#include "TestPrinting.h"
#include "WorkerPool.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <map>
#include <random>
#include <set>

using namespace workdeck;
using workdeck::test::TestRegistry;

namespace {

/// Collects every event the pool delivers, by task.
class EventLog : public QObject {
public:
    explicit EventLog(WorkerPool& pool)
    {
        connect(&pool, &WorkerPool::tasksChanged, this, [this](const QList<TaskEvent>& batch) {
            ++batches;
            events.append(batch);
        });
    }
    QList<TaskEvent> of(TaskId id) const
    {
        QList<TaskEvent> result;
        for (const auto& e : events) {
            if (e.id == id)
                result.append(e);
        }
        return result;
    }
    std::optional<TaskEvent> last(TaskId id) const
    {
        const auto all = of(id);
        if (all.isEmpty())
            return std::nullopt;
        return all.last();
    }
    TaskState lastState(TaskId id) const
    {
        const auto e = last(id);
        return e ? e->state : TaskState::Pending;
    }
    QList<TaskEvent> events;
    int batches = 0;
};

WorkerPool::Options fastOptions(int workers = 2)
{
    WorkerPool::Options options;
    options.workers = workers;
    options.backoffBaseMs = 0;
    options.backoffCapMs = 0;
    options.abandonAfterMs = 200;
    options.notifyIntervalMs = 10;
    return options;
}

QJsonObject simulate(qint64 durationMs, int failAttempts = 0)
{
    return {{QStringLiteral("duration_ms"), durationMs}, {QStringLiteral("fail_attempts"), failAttempts}};
}

} // namespace

class TestWorkerPool : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;

private slots:
    void runsASimulatedTask()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const qint64 submittedAtMs = QDateTime::currentMSecsSinceEpoch();
        const auto id = pool.submit(m_kinds.spec(u"simulate", simulate(100)));
        QVERIFY(id.ok());
        QTRY_COMPARE(log.lastState(*id), TaskState::Succeeded);
        const qint64 seenAtMs = QDateTime::currentMSecsSinceEpoch();
        const auto events = log.of(*id);
        QCOMPARE(events.size(), 2); // running (seen by the supervisor), then succeeded
        QCOMPARE(events[0].state, TaskState::Running);
        QCOMPARE(events[0].worker, 1);
        QCOMPARE(events[0].attempts, 1);
        QVERIFY(events[0].startedAtMs > 0);
        QCOMPARE(events[1].output, QStringLiteral("simulated by worker 1"));
        QCOMPARE(events[1].attempts, 1);
        QCOMPARE(events[1].startedAtMs, events[0].startedAtMs);
        QVERIFY(events[1].runMs >= 99);
        // Wall-clock times, the end the start plus the run time (to the millisecond).
        QVERIFY(events[1].startedAtMs >= submittedAtMs - 1);
        QVERIFY(events[1].atMs <= seenAtMs + 1);
        QVERIFY(events[1].atMs >= events[1].startedAtMs + events[1].runMs);
        QVERIFY(events[1].atMs <= events[1].startedAtMs + events[1].runMs + 1);
        QCOMPARE(pool.counters().succeeded, 1);
        QVERIFY(!pool.state(*id)); // succeeded tasks are not kept in memory
    }

    void rejectsInvalidSpecsNamingTheField_data()
    {
        QTest::addColumn<int>("priority");
        QTest::addColumn<int>("maxRetries");
        QTest::addColumn<qint64>("timeoutMs");
        QTest::addColumn<QString>("field");
        QTest::newRow("priority below 0") << -1 << 0 << qint64(10) << QStringLiteral("priority:");
        QTest::newRow("priority above 255") << 256 << 0 << qint64(10) << QStringLiteral("priority:");
        QTest::newRow("retries above 255") << 0 << 256 << qint64(10) << QStringLiteral("max_retries:");
        QTest::newRow("timeout 0") << 0 << 0 << qint64(0) << QStringLiteral("timeout_ms:");
        QTest::newRow("timeout above a day") << 0 << 0 << qint64(86'400'001) << QStringLiteral("timeout_ms:");
    }

    void rejectsInvalidSpecsNamingTheField()
    {
        QFETCH(int, priority);
        QFETCH(int, maxRetries);
        QFETCH(qint64, timeoutMs);
        QFETCH(QString, field);
        WorkerPool pool(m_kinds.registry, fastOptions());
        TaskSpec spec = m_kinds.spec(u"simulate", simulate(0));
        spec.priority = priority;
        spec.maxRetries = maxRetries;
        spec.timeoutMs = timeoutMs;
        const auto id = pool.submit(spec);
        QVERIFY(!id.ok());
        QVERIFY2(id.error().message.startsWith(field), qPrintable(id.error().message));
        QCOMPARE(pool.counters().pending, 0);
    }

    void aBatchWithOneInvalidSpecQueuesNothing()
    {
        WorkerPool pool(m_kinds.registry, fastOptions());
        pool.pause();
        std::vector<TaskSpec> specs(3, m_kinds.spec(u"simulate", simulate(0)));
        specs[2].priority = 300;
        const auto ids = pool.submitBatch(specs);
        QVERIFY(!ids.ok());
        QCOMPARE(ids.error().message,
                 QStringLiteral("task 3: priority: must be an integer from 0 to 255, not 300"));
        QCOMPARE(pool.counters().pending, 0);
    }

    void aBatchWithAnIdAlreadyQueuedQueuesNothing()
    {
        WorkerPool pool(m_kinds.registry, fastOptions());
        pool.pause();
        TaskSpec first = m_kinds.spec(u"simulate", simulate(0));
        first.id = 7;
        QVERIFY(pool.submit(first).ok());
        std::vector<TaskSpec> specs(3, m_kinds.spec(u"simulate", simulate(0)));
        specs[2].id = 7;
        const auto ids = pool.submitBatch(specs);
        QVERIFY(!ids.ok());
        QCOMPARE(ids.error().message, QStringLiteral("id: task 7 is already queued"));
        QCOMPARE(pool.counters().pending, 1);
    }

    void higherPriorityRunsFirstAndFifoWithinOne()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        pool.pause();
        const QList<int> priorities{0, 5, 5, 255, 0, 7, 5, 255, 1};
        std::vector<TaskSpec> specs;
        for (int i = 0; i < priorities.size(); ++i)
            specs.push_back(m_kinds.spec(u"record", {{QStringLiteral("tag"), i}}, priorities[i]));
        QVERIFY(pool.submitBatch(specs).ok());
        QCOMPARE(pool.pendingByPriority()[5], 3u);
        QCOMPARE(pool.pendingByPriority()[255], 2u);
        pool.resume();
        QTRY_COMPARE(pool.counters().succeeded, qint64(priorities.size()));
        QCOMPARE(m_kinds.recording->log().mid(m_kinds.recording->log().size() - priorities.size()),
                 (QList<qint64>{3, 7, 5, 1, 2, 6, 8, 0, 4}));
    }

    void retriesUntilItSucceeds()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const auto id = pool.submit(m_kinds.spec(u"simulate", simulate(0, 2), 0, 2));
        QTRY_COMPARE(log.lastState(*id), TaskState::Succeeded);
        QCOMPARE(log.last(*id)->attempts, 3);
        int retrying = 0;
        for (const auto& e : log.of(*id)) {
            if (e.state == TaskState::Retrying) {
                ++retrying;
                QCOMPARE(e.error, QStringLiteral("simulated failure"));
            }
        }
        QCOMPARE(retrying, 2);
        QCOMPARE(pool.counters().failedAttempts, 2);
    }

    void exhaustedRetriesDeadLetterAndRequeue()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const auto id = pool.submit(m_kinds.spec(u"simulate", simulate(0, 3), 0, 1));
        QTRY_COMPARE(log.lastState(*id), TaskState::Failed);
        QCOMPARE(log.last(*id)->attempts, 2);
        QCOMPARE(log.last(*id)->error, QStringLiteral("simulated failure"));
        QCOMPARE(pool.state(*id), TaskState::Failed);
        QCOMPARE(pool.counters().failed, 1);

        pool.pause();
        QVERIFY(pool.requeue(*id));
        QCOMPARE(pool.counters().failed, 0);
        QCOMPARE(pool.state(*id), TaskState::Pending);
        pool.resume();
        QTRY_COMPARE(pool.counters().failed, 1);
        QCOMPARE(log.lastState(*id), TaskState::Failed);
        QCOMPARE(log.last(*id)->attempts, 2); // attempts started again from zero
        QVERIFY(!pool.requeue(12345));
    }

    void backoffWaitsOnTheInjectedClock()
    {
        WorkerPool::Options options = fastOptions(1);
        options.backoffBaseMs = 1000;
        options.backoffCapMs = 1000;
        WorkerPool pool(m_kinds.registry, options);
        std::atomic<qint64> now{1'000'000};
        pool.setClock([&now] { return now.load(); });
        pool.setRandomSeed(7);
        std::mt19937_64 sameRandom(7);
        const qint64 delay = Backoff(1000, 1000).delayMs(1, sameRandom());
        QVERIFY(delay > 0);

        EventLog log(pool);
        const auto id = pool.submit(m_kinds.spec(u"simulate", simulate(0, 1), 0, 1));
        QTRY_COMPARE(pool.state(*id), TaskState::Retrying);
        now += delay - 1;
        pool.tick();
        QCOMPARE(pool.state(*id), TaskState::Retrying);
        now += 1;
        pool.tick();
        QTRY_COMPARE(log.lastState(*id), TaskState::Succeeded);
        QCOMPARE(log.last(*id)->attempts, 2);
    }

    void timeoutEndsTheAttemptAndFreesTheWorker()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const auto slow = pool.submit(m_kinds.spec(u"simulate", simulate(3'600'000), 9, 0, 50));
        const auto next = pool.submit(m_kinds.spec(u"simulate", simulate(0)));
        QTRY_COMPARE(log.lastState(*slow), TaskState::Failed);
        QCOMPARE(log.last(*slow)->error, QStringLiteral("timed out after 50 ms"));
        QTRY_COMPARE(log.lastState(*next), TaskState::Succeeded);
    }

    void commandTimeoutKillsTheProcess()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const QJsonObject sleep{{QStringLiteral("program"), QStringLiteral("sleep")},
                                {QStringLiteral("args"), QJsonArray{QStringLiteral("3600")}}};
        const auto id = pool.submit(m_kinds.spec(u"command", sleep, 0, 0, 100));
        QTRY_COMPARE(log.lastState(*id), TaskState::Failed);
        QCOMPARE(log.last(*id)->error, QStringLiteral("timed out after 100 ms"));
        QCOMPARE(pool.abandonedCount(), 0);
    }

    void aCommandThatDoesNotExistFails()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const QJsonObject missing{{QStringLiteral("program"), QStringLiteral("/nonexistent/workdeck-nope")}};
        const auto id = pool.submit(m_kinds.spec(u"command", missing));
        QTRY_COMPARE(log.lastState(*id), TaskState::Failed);
        QVERIFY2(log.last(*id)->error.contains(QStringLiteral("workdeck-nope")),
                 qPrintable(log.last(*id)->error));
    }

    void cancelsPendingRetryingAndRunningTasks()
    {
        WorkerPool::Options options = fastOptions(1);
        options.backoffBaseMs = 3'600'000;
        options.backoffCapMs = 3'600'000;
        WorkerPool pool(m_kinds.registry, options);
        pool.setRandomSeed(1);
        EventLog log(pool);
        const auto running = pool.submit(m_kinds.spec(u"simulate", simulate(3'600'000), 9));
        const auto pending = pool.submit(m_kinds.spec(u"simulate", simulate(0)));
        QTRY_COMPARE(pool.state(*running), TaskState::Running);
        QCOMPARE(pool.state(*pending), TaskState::Pending);

        QVERIFY(pool.cancel(*pending));
        QCOMPARE(pool.state(*pending), TaskState::Cancelled);
        QVERIFY(!pool.cancel(*pending));

        QVERIFY(pool.cancel(*running));
        QTRY_COMPARE(log.lastState(*running), TaskState::Cancelled);
        QCOMPARE(log.last(*running)->attempts, 1);

        const auto retrying = pool.submit(m_kinds.spec(u"simulate", simulate(0, 1), 0, 1));
        QTRY_COMPARE(pool.state(*retrying), TaskState::Retrying);
        QVERIFY(pool.cancel(*retrying));
        QCOMPARE(pool.state(*retrying), TaskState::Cancelled);
        QCOMPARE(pool.counters().cancelled, 3);
        QCOMPARE(pool.counters().retrying, 0);
        QTRY_VERIFY(pool.isIdle());
        QVERIFY(!pool.cancel(987654));
    }

    void aTaskThatThrowsFailsItsAttempt_data()
    {
        QTest::addColumn<int>("tag");
        QTest::addColumn<QString>("error");
        QTest::newRow("std::exception") << 0 << QStringLiteral("exception: boom");
        QTest::newRow("anything else") << 1 << QStringLiteral("exception of unknown type");
    }

    void aTaskThatThrowsFailsItsAttempt()
    {
        QFETCH(int, tag);
        QFETCH(QString, error);
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const auto id = pool.submit(m_kinds.spec(u"throw", {{QStringLiteral("tag"), tag}}, 0, 1));
        QTRY_COMPARE(log.lastState(*id), TaskState::Failed);
        QCOMPARE(log.last(*id)->error, error);
        QCOMPARE(log.last(*id)->attempts, 2);
        const auto after = pool.submit(m_kinds.spec(u"simulate", simulate(0)));
        QTRY_COMPARE(log.lastState(*after), TaskState::Succeeded);
    }

    void aTaskThatNeverReturnsIsAbandonedAndItsWorkerReplaced()
    {
        WorkerPool::Options options = fastOptions(1);
        options.abandonAfterMs = 50;
        WorkerPool pool(m_kinds.registry, options);
        EventLog log(pool);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("abandoning task")));
        const auto stuck = pool.submit(m_kinds.spec(u"stuck", {}, 9, 0, 20));
        const auto next = pool.submit(m_kinds.spec(u"simulate", simulate(0)));
        QTRY_COMPARE(log.lastState(*stuck), TaskState::Failed);
        QCOMPARE(log.last(*stuck)->error, QStringLiteral("timed out after 20 ms"));
        QTRY_COMPARE(log.lastState(*next), TaskState::Succeeded);
        QCOMPARE(pool.abandonedCount(), 1);
        QCOMPARE(pool.counters().running, 0);

        m_kinds.stuck->open();
        QTRY_COMPARE(pool.abandonedCount(), 0);
        QCOMPARE(log.lastState(*stuck), TaskState::Failed); // its late result is ignored
    }

    void pauseStopsDispatchAndResumeContinues()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(2));
        pool.pause();
        QVERIFY(pool.isPaused());
        std::vector<TaskSpec> specs(50, m_kinds.spec(u"simulate", simulate(0)));
        QVERIFY(pool.submitBatch(specs).ok());
        pool.tick();
        QCOMPARE(pool.counters().pending, 50);
        QCOMPARE(pool.counters().running, 0);
        QVERIFY(!pool.isIdle());
        pool.resume();
        QTRY_COMPARE(pool.counters().succeeded, 50);
        QTRY_VERIFY(pool.isIdle());
    }

    void resizesToOneAndBackUnderLoad()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(4));
        QSignalSpy idle(&pool, &WorkerPool::idle);
        std::vector<TaskSpec> specs(2000, m_kinds.spec(u"simulate", simulate(1)));
        QVERIFY(pool.submitBatch(specs).ok());
        QTRY_VERIFY(pool.counters().running > 1);
        pool.setWorkerCount(1);
        QCOMPARE(pool.workerCount(), 1);
        QTRY_VERIFY(pool.counters().running <= 1);
        const qint64 doneAtResize = pool.counters().succeeded;
        QTRY_VERIFY(pool.counters().succeeded >= doneAtResize + 20);
        QVERIFY(pool.counters().running <= 1);
        pool.setWorkerCount(4);
        QTRY_VERIFY(pool.counters().running > 1);
        QTRY_COMPARE(idle.count(), 1);
        QCOMPARE(pool.counters().succeeded, 2000);
    }

    void shutdownWithTenThousandPendingLeavesThemPending()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        const auto first = pool.submit(m_kinds.spec(u"simulate", simulate(3'600'000), 255));
        std::vector<TaskSpec> specs(10'000, m_kinds.spec(u"simulate", simulate(3'600'000)));
        QVERIFY(pool.submitBatch(specs).ok());
        QTRY_COMPARE(pool.state(*first), TaskState::Running);

        pool.shutdown(0);
        QVERIFY(pool.isShutDown());
        const PoolCounters c = pool.counters();
        QCOMPARE(c.pending, 10'001);
        QCOMPARE(c.running, 0);
        QCOMPARE(c.succeeded + c.failed + c.cancelled, 0);
        QCOMPARE(log.lastState(*first), TaskState::Pending);
        QCOMPARE(log.last(*first)->attempts, 0); // the interrupted attempt is given back
        QCOMPARE(log.last(*first)->error, QStringLiteral("interrupted by shutdown"));
        QVERIFY(!pool.submit(m_kinds.spec(u"simulate", simulate(0))).ok());
    }

    void shutdownGivesRunningTasksTheirGracePeriod()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(2));
        EventLog log(pool);
        const auto id = pool.submit(m_kinds.spec(u"simulate", simulate(500)));
        QTRY_COMPARE(pool.state(*id), TaskState::Running);
        pool.shutdown(10'000);
        QCOMPARE(log.lastState(*id), TaskState::Succeeded);
    }

    void shutdownTurnsRetryingBackToPending()
    {
        WorkerPool::Options options = fastOptions(1);
        options.backoffBaseMs = 3'600'000;
        options.backoffCapMs = 3'600'000;
        WorkerPool pool(m_kinds.registry, options);
        pool.setRandomSeed(3);
        EventLog log(pool);
        const auto id = pool.submit(m_kinds.spec(u"simulate", simulate(0, 1), 0, 1));
        QTRY_COMPARE(pool.state(*id), TaskState::Retrying);
        pool.shutdown(0);
        QCOMPARE(log.lastState(*id), TaskState::Pending);
        QCOMPARE(pool.counters().pending, 1);
    }

    // A worker claims a batch under the lock and starts its tasks one after the other: those it
    // has not started yet are running for everyone else, and a cancel ends them unrun.
    void aClaimedTaskNotYetStartedIsRunningAndCancelsUnrun()
    {
        const TestRegistry kinds; // a gate of its own, closed
        WorkerPool pool(kinds.registry, fastOptions(1));
        EventLog log(pool);
        pool.pause();
        // A quick task first, so that the worker's next claim is a large batch: the stuck task
        // and the recording ones behind it.
        QVERIFY(pool.submit(kinds.spec(u"noop", {}, 255)).ok());
        QVERIFY(pool.submit(kinds.spec(u"stuck", {}, 254)).ok());
        std::vector<TaskSpec> behind;
        for (int i = 0; i < 100; ++i)
            behind.push_back(kinds.spec(u"record", {{QStringLiteral("tag"), i}}, 1));
        const auto ids = pool.submitBatch(std::move(behind));
        QVERIFY(ids.ok());
        pool.resume();
        QTRY_COMPARE(kinds.stuck->entered(), 1);

        const std::vector<TaskId> cancelled(ids->begin(), ids->begin() + 10);
        for (const TaskId id : cancelled) {
            QCOMPARE(pool.state(id), TaskState::Running); // claimed with the stuck task
            QVERIFY(pool.cancel(id));
        }
        const PoolCounters counters = pool.counters();
        QCOMPARE(counters.running, 1);
        QCOMPARE(counters.pending, 100); // claimed but not started counts as waiting

        kinds.stuck->open();
        QTRY_VERIFY(pool.isIdle());
        pool.flushEvents();
        QCOMPARE(pool.counters().cancelled, 10);
        QCOMPARE(pool.counters().succeeded, 92);
        for (const TaskId id : cancelled) {
            QCOMPARE(log.lastState(id), TaskState::Cancelled);
            QCOMPARE(log.last(id)->attempts, 0);
            QVERIFY(!pool.state(id) || *pool.state(id) == TaskState::Cancelled);
        }
        const QList<qint64> ran = kinds.recording->log();
        QCOMPARE(ran.size(), 90);
        QCOMPARE(ran.front(), 10); // the first ten never ran
    }

    void aCancelledAndRequeuedPendingTaskRunsOnce()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        pool.pause();
        const auto id = pool.submit(m_kinds.spec(u"simulate", simulate(0)));
        QVERIFY(pool.cancel(*id));
        QVERIFY(pool.requeue(*id));
        QVERIFY(pool.cancel(*id));
        QVERIFY(pool.requeue(*id));
        QCOMPARE(pool.pendingByPriority()[0], 1u);
        pool.resume();
        QTRY_VERIFY(pool.isIdle());
        pool.flushEvents();
        QCOMPARE(pool.counters().succeeded, 1);
        QCOMPARE(log.lastState(*id), TaskState::Succeeded);
    }

    void anIdIsNotFoundOnceItsTaskIsGoneEvenWhenItsSlotIsReused()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(2));
        std::vector<TaskSpec> first(100, m_kinds.spec(u"simulate", simulate(0)));
        const auto done = pool.submitBatch(std::move(first));
        QVERIFY(done.ok());
        QTRY_VERIFY(pool.isIdle());
        pool.pause();
        std::vector<TaskSpec> second(100, m_kinds.spec(u"simulate", simulate(0)));
        const auto held = pool.submitBatch(std::move(second));
        QVERIFY(held.ok());
        for (const TaskId id : *done)
            QVERIFY(!pool.state(id)); // their slots now hold the second batch
        for (const TaskId id : *held)
            QCOMPARE(pool.state(id), TaskState::Pending);
        QVERIFY(!pool.cancel(done->front()));
        QVERIFY(pool.cancel(held->front()));
        QCOMPARE(pool.counters().cancelled, 1);
        TaskSpec again = m_kinds.spec(u"simulate", simulate(0));
        again.id = done->back(); // a finished task's id may be used again, e.g. by recovery
        QCOMPARE(*pool.submit(again), done->back());
        QCOMPARE(pool.state(done->back()), TaskState::Pending);
    }

    void batchesSubmittedFromTwoThreadsAtOnceRunOnceEachUnderIdsOfTheirOwn()
    {
        // Batches larger than a submission chunk, from two threads, while the workers run: each
        // chunk takes its slots and ids under the lock and fills its records without it.
        WorkerPool pool(m_kinds.registry, fastOptions(2));
        EventLog log(pool);
        constexpr int batches = 4;
        constexpr int perBatch = 3000;
        std::vector<TaskId> idsOf[2];
        std::atomic<int> failures{0};
        auto submitter = [&](int which) {
            return QThread::create([&, which] {
                for (int b = 0; b < batches; ++b) {
                    std::vector<TaskSpec> batch(perBatch, m_kinds.spec(u"noop", {}, which * 10 + b % 3));
                    const auto ids = pool.submitBatch(std::move(batch));
                    if (!ids.ok() || ids->size() != perBatch || !std::is_sorted(ids->begin(), ids->end()))
                        ++failures;
                    else
                        idsOf[which].insert(idsOf[which].end(), ids->begin(), ids->end());
                }
            });
        };
        std::unique_ptr<QThread> first(submitter(0));
        std::unique_ptr<QThread> second(submitter(1));
        first->start();
        second->start();
        QVERIFY(first->wait(30'000));
        QVERIFY(second->wait(30'000));
        QCOMPARE(failures.load(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(pool.isIdle(), 30'000);
        pool.flushEvents();

        std::set<TaskId> all(idsOf[0].begin(), idsOf[0].end());
        all.insert(idsOf[1].begin(), idsOf[1].end());
        QCOMPARE(all.size(), std::size_t{2 * batches * perBatch});
        QCOMPARE(pool.counters().succeeded, 2 * batches * perBatch);
        std::map<TaskId, int> succeeded;
        for (const TaskEvent& event : log.events) {
            if (event.state == TaskState::Succeeded)
                ++succeeded[event.id];
        }
        QCOMPARE(succeeded.size(), all.size());
        for (const auto& [id, times] : succeeded) {
            QVERIFY2(all.count(id) == 1, qPrintable(QString::number(id)));
            QCOMPARE(times, 1);
        }
    }

    void aRecoveredTaskWithNoAttemptsLeftFailsAsInterrupted()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        TaskSpec spec = m_kinds.spec(u"simulate", simulate(0), 0, 1);
        spec.id = 77;
        spec.attempts = 2;
        QCOMPARE(*pool.submit(spec), TaskId(77));
        QTRY_COMPARE(log.lastState(77), TaskState::Failed);
        QCOMPARE(log.last(77)->error, QStringLiteral("interrupted"));
        QVERIFY(!pool.submit(spec).ok()); // the id is taken
        spec.id = 0;
        QCOMPARE(*pool.submit(m_kinds.spec(u"simulate", simulate(0))), TaskId(78));
    }

    void changesArriveInBatchesNotOnePerTask()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(2));
        EventLog log(pool);
        QSignalSpy idle(&pool, &WorkerPool::idle);
        std::vector<TaskSpec> specs(20'000, m_kinds.spec(u"noop"));
        QVERIFY(pool.submitBatch(specs).ok());
        QTRY_COMPARE(idle.count(), 1);
        // Attempts shorter than a supervision tick report only their end, with its start time;
        // the supervisor adds a running event only for an attempt it finds still running.
        qsizetype succeeded = 0;
        for (const auto& e : log.events) {
            QVERIFY(e.state == TaskState::Succeeded || e.state == TaskState::Running);
            QVERIFY(e.startedAtMs > 0 && e.worker > 0);
            succeeded += e.state == TaskState::Succeeded ? 1 : 0;
        }
        QCOMPARE(succeeded, 20'000);
        QVERIFY2(log.events.size() < 20'000 + 20'000 / 10, qPrintable(QString::number(log.events.size())));
        QVERIFY2(log.batches < 2000, qPrintable(QString::number(log.batches)));
    }

    void theLastWorkerToRunOutOfWorkWakesTheOwner()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(1));
        EventLog log(pool);
        QSignalSpy idle(&pool, &WorkerPool::idle);
        const auto id = pool.submit(m_kinds.spec(u"noop"));
        QVERIFY(id.ok());
        // Waits without running the event loop, so the supervision timer cannot fire. With one
        // worker, the loop that reports the task is the one that ends, under the same lock.
        while (!pool.isIdle())
            QThread::yieldCurrentThread();
        QCOMPARE(idle.count(), 0);
        // Only the calls posted to this thread, not the pool's timers.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::MetaCall);
        QCOMPARE(idle.count(), 1);
        QCOMPARE(log.lastState(*id), TaskState::Succeeded);
    }

    void aBacklogBuiltUpWhileTheOwnerIsBusyArrivesInOrder()
    {
        WorkerPool pool(m_kinds.registry, fastOptions(2));
        EventLog log(pool);
        constexpr int count = 40'000;
        std::vector<TaskSpec> specs(count, m_kinds.spec(u"noop"));
        // Every third task fails once first, so that retry events sit between successes.
        for (std::size_t i = 0; i < specs.size(); i += 3) {
            specs[i] = m_kinds.spec(u"simulate", simulate(0, 1), 0, 1);
        }
        const auto ids = pool.submitBatch(std::move(specs));
        QVERIFY(ids.ok());
        // No event loop runs here, so nothing is delivered until the flush below.
        while (!pool.isIdle()) {
            QThread::yieldCurrentThread();
        }
        // A receiver that changes a task and flushes again from its slot must not get that change
        // ahead of the rest of the backlog.
        TaskId late = 0;
        connect(&pool, &WorkerPool::tasksChanged, &pool, [this, &pool, &late] {
            if (late != 0)
                return;
            pool.pause();
            late = *pool.submit(m_kinds.spec(u"noop"));
            QVERIFY(pool.cancel(late));
            pool.flushEvents();
        });
        pool.flushEvents();
        pool.flushEvents();
        QVERIFY(late != 0);
        QCOMPARE(log.events.last().id, late);
        QCOMPARE(log.events.last().state, TaskState::Cancelled);
        log.events.removeLast();
        QVERIFY2(log.batches > 1, "a backlog this large goes out in more than one list");
        QHash<TaskId, QList<TaskState>> states;
        for (const auto& e : log.events)
            states[e.id].append(e.state);
        QCOMPARE(states.size(), count);
        for (std::size_t i = 0; i < ids->size(); ++i) {
            const QList<TaskState>& seen = states.value((*ids)[i]);
            QVERIFY(!seen.isEmpty());
            QCOMPARE(seen.last(), TaskState::Succeeded);
            if (i % 3 == 0) {
                QCOMPARE(seen.first(), TaskState::Retrying);
                QCOMPARE(seen.count(TaskState::Succeeded), 1);
            }
        }
    }

    void aBacklogGoesOutOverSeveralTicksWithinTheBudget()
    {
        WorkerPool::Options options = fastOptions(2);
        options.deliveryBudgetMs = 1;
        WorkerPool pool(m_kinds.registry, options);
        EventLog log(pool);
        constexpr int count = 20'000;
        QSignalSpy idle(&pool, &WorkerPool::idle);
        QVERIFY(pool.submitBatch(std::vector<TaskSpec>(count, m_kinds.spec(u"noop"))).ok());
        // No event loop runs here: the whole run piles up before the first tick.
        while (!pool.isIdle()) {
            QThread::yieldCurrentThread();
        }
        // A receiver slower than the budget, and a zero-interval timer that notes each turn of
        // the event loop: every list must come after a turn, never straight after another.
        bool turned = false;
        int batches = 0;
        int afterATurn = 0;
        qsizetype largest = 0;
        QTimer turns;
        turns.setInterval(0);
        connect(&turns, &QTimer::timeout, &pool, [&turned] { turned = true; });
        connect(&pool, &WorkerPool::tasksChanged, &pool, [&](const QList<TaskEvent>& events) {
            ++batches;
            afterATurn += turned ? 1 : 0;
            turned = false;
            largest = std::max(largest, events.size());
            QElapsedTimer work; // what a slow receiver spends on a list
            work.start();
            while (work.nsecsElapsed() < 2'000'000) {
            }
        });
        turns.start();
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 30'000);
        qsizetype succeeded = 0;
        for (const auto& e : log.events)
            succeeded += e.state == TaskState::Succeeded ? 1 : 0;
        QCOMPARE(succeeded, count); // idle() came after the last change
        QVERIFY2(batches >= count / 2048, qPrintable(QString::number(batches)));
        QVERIFY(largest <= 2048);
        QVERIFY2(afterATurn >= batches - 1,
                 qPrintable(QStringLiteral("%1 of %2").arg(afterATurn).arg(batches)));
    }

    void samplesStatisticsIntoItsHistory()
    {
        WorkerPool::Options options = fastOptions(2);
        options.historyCapacity = 3;
        WorkerPool pool(m_kinds.registry, options);
        QSignalSpy sampled(&pool, &WorkerPool::statsSampled);
        QSignalSpy idle(&pool, &WorkerPool::idle);
        std::vector<TaskSpec> specs(100, m_kinds.spec(u"simulate", simulate(0, 1), 3, 1));
        QVERIFY(pool.submitBatch(specs).ok());
        QTRY_COMPARE(idle.count(), 1);
        pool.sampleNow();
        QCOMPARE(sampled.count(), 1);
        const StatsSample s = pool.history().latest();
        QCOMPARE(s.succeeded, 100);
        QCOMPARE(s.pending, 0);
        QCOMPARE(s.workers, 2);
        QVERIFY(s.finishedPerSec > 0);
        QVERIFY(s.failedPerSec > 0);
        QVERIFY(s.runP95Us >= s.runP50Us);
        QVERIFY(s.waitP95Us >= s.waitP50Us);

        pool.sampleNow();
        QCOMPARE(pool.history().latest().finishedPerSec, 0.0); // nothing finished since
        pool.sampleNow();
        pool.sampleNow();
        QCOMPARE(pool.history().size(), 3);

        pool.pause();
        QVERIFY(pool.submit(m_kinds.spec(u"simulate", simulate(0), 4)).ok());
        pool.sampleNow();
        QCOMPARE(pool.history().latest().pending, 1);
        QCOMPARE(pool.pendingByPriority()[4], 1u);
    }
};

QTEST_GUILESS_MAIN(TestWorkerPool)
#include "tst_workerpool.moc"
