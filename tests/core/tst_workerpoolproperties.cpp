#include "TestKinds.h"
#include "WorkerPool.h"

#include <QTest>

#include <rapidcheck.h>

#include <map>

using namespace workdeck;
using workdeck::test::TestRegistry;

namespace {

WorkerPool::Options quickOptions(int workers)
{
    WorkerPool::Options options;
    options.workers = workers;
    options.backoffBaseMs = 0;
    options.backoffCapMs = 0;
    options.notifyIntervalMs = 5;
    return options;
}

bool runUntilIdle(WorkerPool& pool)
{
    const bool idle = QTest::qWaitFor([&pool] { return pool.isIdle(); }, 60'000);
    pool.flushEvents();
    return idle;
}

} // namespace

class TestWorkerPoolProperties : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;

private slots:
    // Tasks submitted in any order of priorities, in any number of batches, run highest
    // priority first and in submission order within a priority.
    void dispatchRespectsPriorityThenFifo()
    {
        const bool ok = rc::check("priority then FIFO", [this] {
            const auto batches = *rc::gen::container<std::vector<std::vector<int>>>(
                rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 256)));
            WorkerPool pool(m_kinds.registry, quickOptions(1));
            pool.pause();
            const auto before = m_kinds.recording->log().size();
            std::vector<std::pair<int, qint64>> expected; // (priority, tag)
            qint64 tag = 0;
            for (const auto& batch : batches) {
                std::vector<TaskSpec> specs;
                for (const int priority : batch) {
                    specs.push_back(m_kinds.spec(u"record", {{QStringLiteral("tag"), tag}}, priority));
                    expected.emplace_back(priority, tag++);
                }
                RC_ASSERT(pool.submitBatch(specs).ok());
            }
            pool.resume();
            RC_ASSERT(runUntilIdle(pool));
            std::stable_sort(expected.begin(), expected.end(),
                             [](const auto& a, const auto& b) { return a.first > b.first; });
            const auto log = m_kinds.recording->log().mid(before);
            RC_ASSERT(log.size() == static_cast<qsizetype>(expected.size()));
            for (std::size_t i = 0; i < expected.size(); ++i)
                RC_ASSERT(log[static_cast<qsizetype>(i)] == expected[i].second);
        });
        QVERIFY(ok);
    }

    // Whatever fails, retries or is cancelled, each task ends in exactly one terminal state,
    // never runs more than max_retries + 1 times, and succeeds exactly when it may.
    void everyTaskReachesExactlyOneTerminalState()
    {
        const bool ok = rc::check("one terminal state each", [this] {
            struct Plan {
                int failAttempts;
                int maxRetries;
                bool cancel;
            };
            const auto plans = *rc::gen::container<std::vector<std::tuple<int, int, bool>>>(
                rc::gen::tuple(rc::gen::inRange(0, 4), rc::gen::inRange(0, 4), rc::gen::arbitrary<bool>()));
            const int workers = *rc::gen::inRange(1, 5);
            WorkerPool pool(m_kinds.registry, quickOptions(workers));
            std::map<TaskId, Plan> byId;
            QList<TaskEvent> events;
            QObject::connect(&pool, &WorkerPool::tasksChanged, &pool,
                             [&events](const QList<TaskEvent>& batch) { events.append(batch); });
            for (const auto& [failAttempts, maxRetries, cancel] : plans) {
                const QJsonObject params{{QStringLiteral("duration_ms"), 0},
                                         {QStringLiteral("fail_attempts"), failAttempts}};
                const auto id = pool.submit(m_kinds.spec(u"simulate", params, 0, maxRetries));
                RC_ASSERT(id.ok());
                byId[*id] = Plan{failAttempts, maxRetries, cancel};
                if (cancel)
                    pool.cancel(*id);
            }
            RC_ASSERT(runUntilIdle(pool));

            std::map<TaskId, int> terminals;
            std::map<TaskId, TaskEvent> last;
            for (const auto& e : events) {
                RC_ASSERT(e.attempts <= byId[e.id].maxRetries + 1);
                if (isTerminal(e.state))
                    ++terminals[e.id];
                last[e.id] = e;
            }
            for (const auto& [id, plan] : byId) {
                RC_ASSERT(terminals[id] == 1);
                const TaskState end = last[id].state;
                RC_ASSERT(isTerminal(end));
                if (end == TaskState::Cancelled)
                    RC_ASSERT(plan.cancel);
                else
                    RC_ASSERT((end == TaskState::Succeeded) == (plan.failAttempts <= plan.maxRetries));
            }
            const PoolCounters c = pool.counters();
            RC_ASSERT(c.succeeded + c.failed + c.cancelled == static_cast<qint64>(plans.size()));
        });
        QVERIFY(ok);
    }
};

QTEST_GUILESS_MAIN(TestWorkerPoolProperties)
#include "tst_workerpoolproperties.moc"
