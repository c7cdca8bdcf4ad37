#pragma once

#include "Backoff.h"
#include "FreeSlotSet.h"
#include "KindRegistry.h"
#include "LatencyHistogram.h"
#include "ParamsTable.h"
#include "PendingQueue.h"
#include "SlotTable.h"
#include "SpinLocker.h"
#include "TaskContext.h"
#include "TaskEvent.h"
#include "TaskIndex.h"
#include "TaskSpec.h"

#include <QList>
#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <vector>

namespace workdeck {

/// A task the pool holds, kept small (40 bytes): with the queue links and the id index a
/// pending task costs about 60 bytes. A task a worker has claimed keeps its record as it was
/// while queued (see PoolCore::slotUses), so that the worker reads it outside the lock and
/// nothing else writes it until the claim is settled, except `cancelRequested`.
struct PoolRecord {
    TaskId id = 0;
    qint64 enqueuedNs = 0;
    const KindParams* paramsObject = nullptr; ///< the object of PoolCore::params' entry `params`
    std::uint32_t params = 0;                 ///< index in PoolCore::params
    quint32 timeoutMs = 0;
    quint16 kind = 0;
    quint16 attempts = 0; ///< attempts settled; a claimed task's attempt is the next one
    quint8 priority = 0;
    quint8 maxRetries = 0;
    TaskState state = TaskState::Pending; ///< never Running: a claimed task is still Pending here
    bool cancelRequested = false;
};
static_assert(sizeof(PoolRecord) == 40);

/// A task a worker has taken from the queue, with what it needs to run it without the lock.
struct Claim {
    TaskId id = 0;
    std::uint32_t slot = 0;
    std::uint32_t serial = 0;
    const TaskKind* kind = nullptr;
    const KindParams* params = nullptr; ///< kept alive by the record until the claim is settled
    std::uint32_t paramsIndex = 0;      ///< the record's entry in PoolCore::params
    qint64 enqueuedNs = 0;
    quint32 timeoutMs = 0;
    int attempt = 0;
};

/// An attempt a worker has finished without success but not yet reported under the lock.
struct FinishedAttempt {
    Claim claim;
    AttemptOutcome outcome;
    qint64 startNs = 0;
    qint64 endNs = 0;
    TaskContext::StopReason stop = TaskContext::StopReason::None;
    std::size_t successesBefore = 0; ///< the worker's successes that ended before this attempt
};

/// State changes not yet delivered, in order. Succeeded attempts, most of them, are kept in 24
/// bytes rather than as 96-byte events: the owner thread may not deliver for a while (when it
/// is queueing a large batch, say), and whatever piles up until then is fresh memory, which
/// costs more to touch than the events cost to make.
struct EventBacklog {
    struct Done {
        TaskId id = 0;
        qint64 startNs = 0;
        quint32 runMs = 0; ///< events say no more
        quint16 attempt = 0;
        quint16 worker : 15 = 0;
        quint16 hasOutput : 1 = 0; ///< its output is the next one in `outputs`
    };
    static_assert(sizeof(Done) == 24);

    QList<TaskEvent> events;             ///< every other state change
    std::vector<std::size_t> after;      ///< how many succeeded attempts came before each of `events`
    std::vector<std::vector<Done>> done; ///< as the workers made them, without the lock
    std::size_t doneCount = 0;
    std::deque<QString> outputs;
    // How far delivery has gone.
    qsizetype nextEvent = 0;
    std::size_t nextDone = 0;
    std::size_t doneList = 0;
    std::size_t doneInList = 0;
    std::size_t nextOutput = 0;

    bool empty() const { return nextEvent == events.size() && nextDone == doneCount; }
    std::size_t left() const
    {
        return static_cast<std::size_t>(events.size() - nextEvent) + (doneCount - nextDone);
    }
};

/// One worker loop. The fields marked "worker" belong to the loop's thread, except after the
/// supervisor has abandoned it, when they pass to the supervisor under the lock.
struct WorkerSlot {
    enum Phase : int { Idle, Executing, Abandoned };

    explicit WorkerSlot(int workerIndex)
        : index(workerIndex)
        , context(workerIndex + 1)
    {
    }

    const int index;
    TaskContext context;
    std::atomic<int> phase{Idle};
    /// The attempt executing or last executed, as slot << 32 | serial, in one word so that a
    /// reader never pairs the slot of one attempt with the serial of another.
    std::atomic<std::uint64_t> current{0};
    std::atomic<qint64> startedNs{0};

    static std::uint64_t attemptWord(std::uint32_t slot, std::uint32_t serial)
    {
        return (std::uint64_t{slot} << 32) | serial;
    }
    std::uint32_t currentSlot() const { return static_cast<std::uint32_t>(current.load() >> 32); }
    std::uint32_t currentSerial() const { return static_cast<std::uint32_t>(current.load()); }

    // Supervisor bookkeeping, under the lock.
    std::uint32_t reportedSerial = 0;
    std::uint32_t stopAskedSerial = 0;
    qint64 stopAskedMs = 0;

    // Worker.
    std::vector<Claim> claims;
    std::vector<std::uint32_t> taken; ///< slots popped under the lock, whose claims are made after it
    std::size_t next = 0;
    std::uint32_t nextSerial = 0; ///< serials tell this worker's attempts apart
    // Succeeded attempts, whose entries pass to the backlog as one list.
    std::vector<EventBacklog::Done> done;
    struct DoneSlot {
        std::uint32_t slot;
        std::uint32_t params;
    };
    std::vector<DoneSlot> doneSlots;  ///< of the attempts in `done`, in the same order
    std::vector<QString> doneOutputs; ///< the non-empty ones
    std::vector<FinishedAttempt> finished;
    LatencyHistogram waitTimes; ///< of the attempts in `done` and `finished`
    LatencyHistogram runTimes;
    double averageRunNs = 0;
};

/// The state shared by WorkerPool and its worker loops, guarded by one mutex. Workers take
/// tasks in small batches sized to about 1 ms of work and report them in batches, so the lock
/// is taken once per batch rather than once per task; a control epoch tells them when a cancel,
/// pause, resize or shutdown needs a look at the tasks they hold.
class PoolCore {
public:
    PoolCore(const KindRegistry& registry, qint64 backoffBaseMs, qint64 backoffCapMs, int workers);

    static qint64 steadyNs();
    static qint64 steadyMs() { return steadyNs() / 1'000'000; }
    qint64 wallMs(qint64 steadyNanos) const
    {
        return m_wallBaseMs + (steadyNanos - m_steadyBaseNs) / 1'000'000;
    }
    qint64 nowMs() const { return clock ? clock() : steadyMs(); }
    /// A state change of a task; `startedNs`/`endNs` < 0 when no attempt started/ended with it.
    TaskEvent makeEvent(TaskId id, TaskState state, int attempts, int worker, qint64 startedNs, qint64 endNs,
                        QString output, QString error) const;
    /// Sets every field of `event` but its output and error, as makeEvent() does.
    void setEvent(TaskEvent& event, TaskId id, TaskState state, int attempts, int worker, qint64 startedNs,
                  qint64 endNs) const;
    /// Moves up to `max` of a backlog's events to `out`, oldest first. Needs no lock.
    void drainEvents(EventBacklog& backlog, QList<TaskEvent>& out, std::size_t max) const;

    // All of the following are called with `mutex` held.
    /// The slot of a task the pool holds, or TaskIndex::None.
    std::uint32_t slotOf(TaskId id) const;
    bool holds(TaskId id, std::uint32_t slot) const
    {
        return slot < records.size() && slotUses[slot] != SlotUse::Free && records[slot].id == id;
    }
    /// The state of a held task: a claimed one is Running.
    TaskState stateOf(std::uint32_t slot) const
    {
        return slotUses[slot] == SlotUse::Claimed ? TaskState::Running : records[slot].state;
    }
    /// What reserveLocked() took for tasks about to be submitted, the i-th task's at i.
    struct Reservation {
        std::vector<std::uint32_t> taken; ///< the slots taken
        std::vector<TaskId> ids;
        std::vector<std::uint32_t> params; ///< entries in `params`, referenced already
        std::size_t size() const { return taken.size(); }
    };
    /// Takes a slot, an id and a reference to its parameters for each of `count` tasks about
    /// to be submitted, `specs` their specs. Their slots stay free, so nothing reads their
    /// records, until publishLocked(): the caller writes them in between without the lock,
    /// with recordOf().
    void reserveLocked(const TaskSpec* specs, std::size_t count, Reservation& reserved);
    /// The record of the i-th task of `reserved`, submitted from `spec` and queued at `nowNs`,
    /// as it waits to be published. Needs no lock.
    static PoolRecord recordOf(const TaskSpec& spec, const Reservation& reserved, std::size_t i,
                               qint64 nowNs);
    /// Holds and queues the tasks of `reserved`, submitted from `specs`, whose records are
    /// written.
    void publishLocked(const Reservation& reserved, const TaskSpec* specs);
    bool cancelLocked(TaskId id);
    bool requeueLocked(TaskId id);
    /// How many more worker loops the queue could use right now, leaving `spare` of the
    /// target unstarted; counts them as started.
    int reserveLoops(int spare = 0);
    bool idle() const;
    int executingCount() const;
    qint64 pendingCount() const;
    /// Retries that are due, deadlines, stuck attempts and running-state reports.
    void superviseLocked();
    /// Stops dispatching; tasks waiting out a backoff are pending again.
    void beginShutdownLocked();
    /// Moves what is left in the queue to the parked (pending, not dispatched) tasks.
    void parkQueueLocked();
    /// Asks every executing attempt to stop.
    void stopAllLocked(TaskContext::StopReason reason);
    /// Gives up on every attempt still executing (see WorkerPool::Options::abandonAfterMs).
    void abandonAllLocked();
    void bumpEpoch() { epoch.fetch_add(1, std::memory_order_seq_cst); }

    /// The body of a worker loop; returns when there is nothing it may run.
    void workerMain();

    const KindRegistry& kinds;
    mutable QMutex mutex;
    QWaitCondition allDone; ///< signalled whenever a worker loop ends
    /// Called, with `mutex` held, when the last worker loop ends because nothing is left that
    /// it may run, so that the owner can tell at once rather than at its next tick.
    std::function<void()> lastLoopEnded;

    SlotTable<PoolRecord> records; ///< read by workers outside the lock too: see makeClaims()
    /// What each slot holds, a byte apart from the record: claiming a batch and letting go of
    /// the finished tasks, under the lock, then write a dense array instead of records
    /// scattered by priority through a table of millions.
    enum class SlotUse : std::uint8_t {
        Held,    ///< a task not claimed by a worker
        Claimed, ///< a task a worker holds (its state is Running)
        Free,    ///< nothing; its record is stale
    };
    std::vector<SlotUse> slotUses;
    FreeSlotSet freeSlots;
    TaskIndex index;
    ParamsTable params;
    PendingQueue queue;
    std::set<std::pair<qint64, std::uint32_t>> retrySchedule; ///< (due ms, slot)
    std::vector<std::shared_ptr<WorkerSlot>> workers;         ///< by worker index; null when free
    EventBacklog events;
    EventBacklog delivering; ///< taken from `events`, being delivered; the owner thread's, no lock
    std::atomic<std::uint64_t> epoch{0};

    Backoff backoff;
    std::function<qint64()> clock;
    std::mt19937_64 rng;
    TaskId nextId = 1;
    int targetWorkers;
    int loops = 0;     ///< worker loops started and not yet finished (abandoned ones excluded)
    int abandoned = 0; ///< abandoned attempts still occupying a thread
    int abandonAfterMs = 1000;
    qint64 claimed = 0; ///< tasks held by workers (claimed, running or finished but unreported)
    qint64 parked = 0;  ///< pending tasks held back by shutdown
    bool paused = false;
    bool shuttingDown = false;

    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 failedAttempts = 0;
    LatencyHistogram waitTimes;
    LatencyHistogram runTimes;

private:
    void enqueue(std::uint32_t slot, qint64 nowNs);
    void addEvent(const PoolRecord& record, int worker = 0, qint64 startedNs = -1, qint64 endNs = -1,
                  QString output = {}, QString error = {});
    void addEvent(TaskEvent event);
    bool canDispatch() const { return !paused && !shuttingDown && loops <= targetWorkers; }

    std::shared_ptr<WorkerSlot> acquireWorker();
    void releaseWorker(const WorkerSlot& worker);
    /// Pops a batch of slots for the worker and marks them claimed.
    void claimBatch(WorkerSlot& worker);
    /// Makes the claims of the slots claimBatch() popped, from their records, without the lock.
    void makeClaims(WorkerSlot& worker) const;
    /// Sends a claimed task the worker has not started back to the head of its level.
    void unclaim(std::uint32_t slot);
    /// Reports the attempts a worker has finished.
    void takeFinished(WorkerSlot& worker);
    /// Reports the worker's finished attempts and settles the claims it has not started.
    void settle(WorkerSlot& worker);
    void complete(FinishedAttempt& attempt, int worker);
    void failAttempt(std::uint32_t slot, int worker, qint64 startNs, qint64 endNs, QString output,
                     QString error);
    void park(PoolRecord& record, int worker, qint64 startNs, qint64 endNs, QString output);
    void abandon(WorkerSlot& worker);

    /// Where in the backlog addEvent() puts an event relative to the succeeded attempts, when
    /// not after all of them: for a worker's failed attempts reported after its successes.
    std::size_t m_eventPosition = SIZE_MAX;
    const qint64 m_steadyBaseNs;
    const qint64 m_wallBaseMs;
};

} // namespace workdeck
