#pragma once

#include "KindRegistry.h"
#include "LatencyHistogram.h"
#include "Result.h"
#include "StatsHistory.h"
#include "TaskEvent.h"
#include "TaskSpec.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

class QThreadPool;

namespace workdeck {

class CallQueue;
class PoolCore;

/// Current counts of the pool, read under its lock in one go.
struct PoolCounters {
    qint64 pending = 0;
    qint64 running = 0;
    qint64 retrying = 0;
    qint64 succeeded = 0; ///< totals since the pool started
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 failedAttempts = 0;
    int workers = 0;
    int abandoned = 0;
    bool paused = false;
};

/// Runs tasks on a private QThreadPool (SPEC S2): priorities, retries with capped full-jitter
/// backoff, timeouts, cancellation, pause/resume, live resizing and graceful shutdown.
///
/// Pending work stays in the pool's own O(1) priority queue; QThreadPool only ever holds one
/// long-running worker loop per worker. State changes reach observers in batches through
/// tasksChanged(), and statistics are sampled on a timer into a fixed-size history.
/// The object lives in one thread (its owner); submit() and cancel() may be called from any.
class WorkerPool : public QObject {
    Q_OBJECT

public:
    struct Options {
        int workers = defaultWorkerCount();
        qint64 backoffBaseMs = 1000;
        qint64 backoffCapMs = 300'000;
        int graceMs = 5000;
        /// An attempt asked to stop that has not returned after this long is abandoned: its
        /// task moves on and a fresh worker takes its place.
        int abandonAfterMs = 1000;
        int sampleIntervalMs = 1000;
        int historyCapacity = 3600;
        int notifyIntervalMs = 50;
        /// Longest the supervision timer spends handing state changes to receivers in one go;
        /// what is left goes out on the next ticks, so that a backlog never freezes the thread
        /// the pool lives in (the window's). 0: everything at once.
        int deliveryBudgetMs = 4;
    };

    static int defaultWorkerCount();

    explicit WorkerPool(const KindRegistry& kinds, QObject* parent = nullptr);
    WorkerPool(const KindRegistry& kinds, const Options& options, QObject* parent = nullptr);
    ~WorkerPool() override;

    const KindRegistry& kinds() const;

    /// Queues a task; fails with a message naming the field when the spec is invalid.
    Result<TaskId> submit(const TaskSpec& spec);
    /// Queues many tasks. All are validated first; one invalid spec queues none. The pool
    /// copies what it needs and shares the parameter objects; the specs stay the caller's.
    Result<std::vector<TaskId>> submitBatch(std::span<const TaskSpec> specs);
    /// Cancels a pending, retrying or running task. False if the pool does not hold it or it
    /// already finished.
    bool cancel(TaskId id);
    /// Puts a failed or cancelled task back in the queue with its attempts reset.
    bool requeue(TaskId id);
    /// The state of a task the pool holds (finished succeeded tasks are forgotten).
    std::optional<TaskState> state(TaskId id) const;

    void pause();
    void resume();
    bool isPaused() const;
    void setWorkerCount(int workers);
    int workerCount() const;
    void setBackoff(qint64 baseMs, qint64 capMs);
    /// Replaces the monotonic millisecond clock that retry delays are measured with.
    void setClock(std::function<qint64()> nowMs);
    void setRandomSeed(quint64 seed);

    /// Stops dispatching, lets running attempts finish for `graceMs` (the option by default),
    /// then stops them. Tasks that did not finish end up pending; the pool accepts no more work.
    void shutdown(std::optional<int> graceMs = std::nullopt);
    bool isShutDown() const;

    PoolCounters counters() const;
    std::array<quint32, 256> pendingByPriority() const;
    /// Nothing pending, running or retrying.
    bool isIdle() const;
    int abandonedCount() const;

    const StatsHistory& history() const { return m_history; }
    /// Takes a statistics sample now, as the timer does.
    void sampleNow();
    /// Delivers the state changes collected so far, all of them.
    void flushEvents();
    /// One supervision pass, as the 10 ms timer runs it: due retries back to the queue,
    /// deadlines enforced, stuck attempts abandoned, events delivered within the budget.
    void tick();

signals:
    /// State changes since the last batch, in the order they happened.
    void tasksChanged(const QList<workdeck::TaskEvent>& events);
    void statsSampled(const workdeck::StatsSample& sample);
    /// Nothing is pending, running or retrying any more (sent after the last tasksChanged()).
    void idle();

private:
    /// The last worker loop ended: a tick now rather than at the timer's next turn.
    void onWorkersRanOut();
    void ensureSupervising();
    void startLoops(int count);
    /// Emits the collected state changes in lists of at most `batch`, until none is left or
    /// `budgetNs` (0: no limit) has passed; returns whether none is left.
    bool deliverEvents(qint64 budgetNs, std::size_t batch);

    std::shared_ptr<PoolCore> m_core;
    std::unique_ptr<QThreadPool> m_threads;
    StatsHistory m_history;
    QTimer m_superviseTimer;
    QTimer m_sampleTimer;
    qint64 m_lastNotifyMs = 0;
    qint64 m_lastSampleNs = 0;
    qint64 m_lastFinished = 0;
    qint64 m_lastFailedAttempts = 0;
    LatencyHistogram m_previousWait;
    LatencyHistogram m_previousRun;
    QList<TaskEvent> m_spareEvents; ///< an emptied event list whose capacity is reused
    bool m_wasIdle = true;
    bool m_eventsLeft = false; ///< the last tick's budget ran out before every change went out
    Options m_options;
    CallQueue* m_calls; ///< what worker loops and other threads hand to this pool's thread
};

} // namespace workdeck
