#include "WorkerPool.h"

#include "Backoff.h"
#include "LatencyHistogram.h"
#include "Logging.h"
#include "PendingQueue.h"
#include "TaskContext.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QRandomGenerator>
#include <QRunnable>
#include <QThread>
#include <QThreadPool>
#include <QWaitCondition>

#include <chrono>
#include <random>
#include <set>

namespace workdeck {

namespace {

using SteadyClock = std::chrono::steady_clock;

qint64 steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
        .count();
}

qint64 steadyMs() {
    return steadyNs() / 1'000'000;
}

Result<void> validate(const TaskSpec& spec, const KindRegistry& kinds) {
    if (spec.kind < 0 || spec.kind >= kinds.size())
        return Error{QStringLiteral("kind: unknown kind")};
    if (spec.priority < 0 || spec.priority > 255)
        return Error{u"priority: must be an integer from 0 to 255, not " + QString::number(spec.priority)};
    if (spec.maxRetries < 0 || spec.maxRetries > 255)
        return Error{u"max_retries: must be an integer from 0 to 255, not " +
                     QString::number(spec.maxRetries)};
    if (spec.attempts < 0 || spec.attempts > 256)
        return Error{u"attempts: must be an integer from 0 to 256, not " + QString::number(spec.attempts)};
    if (spec.timeoutMs < 1 || spec.timeoutMs > TaskSpec::MaxTimeoutMs)
        return Error{u"timeout_ms: must be an integer from 1 to " + QString::number(TaskSpec::MaxTimeoutMs) +
                     u", not " + QString::number(spec.timeoutMs)};
    if (!spec.params)
        return Error{QStringLiteral("params: missing")};
    return {};
}

} // namespace

/// One attempt in flight. Shared between the worker running it and the supervisor.
struct RunningAttempt {
    RunningAttempt(TaskId taskId, std::uint32_t taskSlot, int worker, int attempt,
                   TaskContext::Clock::time_point deadline)
        : id(taskId)
        , slot(taskSlot)
        , context(worker, attempt, deadline) {}
    TaskId id;
    std::uint32_t slot;
    TaskContext context;
    qint64 startedNs = steadyNs();
    qint64 stopAskedMs = -1; ///< when the pool asked it to stop (steady ms), -1 if not yet
    bool abandoned = false;
};

/// A task the pool holds, kept small: a million pending tasks cost about 90 bytes each with
/// the queue links and the id index.
struct TaskRecord {
    TaskId id = 0;
    ParamsPtr params;
    qint64 enqueuedNs = 0;
    quint32 timeoutMs = 0;
    quint16 kind = 0;
    quint16 worker = 0; ///< index into PoolCore::running while running
    quint8 priority = 0;
    quint8 maxRetries = 0;
    quint16 attempts = 0;
    TaskState state = TaskState::Pending;
};

/// The state shared by the pool object and its worker loops, guarded by one mutex. Worker
/// loops hold it by shared pointer so that an abandoned attempt returning late finds it alive.
class PoolCore {
public:
    PoolCore(const KindRegistry& registry, const WorkerPool::Options& options)
        : kinds(registry)
        , backoff(options.backoffBaseMs, options.backoffCapMs)
        , rng(QRandomGenerator::global()->generate64())
        , targetWorkers(std::max(1, options.workers)) {}

    // --- called with the mutex held -------------------------------------------------------

    std::uint32_t allocateSlot() {
        if (!freeSlots.empty()) {
            const std::uint32_t slot = freeSlots.back();
            freeSlots.pop_back();
            return slot;
        }
        records.emplace_back();
        return static_cast<std::uint32_t>(records.size() - 1);
    }

    void releaseSlot(std::uint32_t slot) {
        index.remove(records[slot].id);
        records[slot] = TaskRecord{};
        freeSlots.push_back(slot);
    }

    void addEvent(const TaskRecord& record, int worker = 0, qint64 runMs = -1, QString output = {},
                  QString error = {}) {
        events.append(TaskEvent{record.id, record.state, record.attempts, worker,
                                QDateTime::currentMSecsSinceEpoch(), runMs, std::move(output),
                                std::move(error)});
    }

    void enqueue(std::uint32_t slot) {
        TaskRecord& record = records[slot];
        record.state = TaskState::Pending;
        record.enqueuedNs = steadyNs();
        queue.push(slot, record.priority);
    }

    bool canDispatch() const { return !paused && !shuttingDown && loops <= targetWorkers; }

    /// How many more worker loops the queue could use right now.
    int loopsWanted() const {
        if (paused || shuttingDown)
            return 0;
        const auto wanted = std::min<qint64>(targetWorkers - loops, static_cast<qint64>(queue.size()));
        return static_cast<int>(std::max<qint64>(0, wanted));
    }

    int acquireWorkerIndex() {
        for (std::size_t i = 0; i < running.size(); ++i) {
            if (!workerTaken[i]) {
                workerTaken[i] = true;
                return static_cast<int>(i);
            }
        }
        running.emplace_back();
        workerTaken.push_back(true);
        return static_cast<int>(running.size() - 1);
    }

    void releaseWorkerIndex(int worker) {
        running[static_cast<std::size_t>(worker)].reset();
        workerTaken[static_cast<std::size_t>(worker)] = false;
    }

    qint64 runningCount() const {
        qint64 n = 0;
        for (const auto& attempt : running)
            n += attempt ? 1 : 0;
        return n;
    }

    bool idle() const { return queue.empty() && retrySchedule.empty() && runningCount() == 0 && parked == 0; }

    /// Records how an attempt ended and decides what the task does next.
    void complete(RunningAttempt& attempt, AttemptOutcome outcome, int worker) {
        TaskRecord& record = records[attempt.slot];
        const qint64 runNs = steadyNs() - attempt.startedNs;
        runTimes.record(static_cast<std::uint64_t>(std::max<qint64>(0, runNs / 1000)));
        const qint64 runMs = runNs / 1'000'000;

        const TaskContext::StopReason reason = attempt.context.stopReason();
        if (outcome.status == AttemptOutcome::Status::Succeeded) {
            record.state = TaskState::Succeeded;
            ++succeeded;
            addEvent(record, worker + 1, runMs, std::move(outcome.output));
            releaseSlot(attempt.slot);
            return;
        }
        if (reason == TaskContext::StopReason::Cancel) {
            record.state = TaskState::Cancelled;
            ++cancelled;
            addEvent(record, worker + 1, runMs, std::move(outcome.output),
                     QStringLiteral("cancelled while running"));
            return;
        }
        if (reason == TaskContext::StopReason::Shutdown) {
            park(record, worker + 1, runMs, std::move(outcome.output));
            return;
        }
        QString error = std::move(outcome.error);
        if (outcome.status == AttemptOutcome::Status::Stopped || reason == TaskContext::StopReason::Timeout) {
            if (outcome.status == AttemptOutcome::Status::Stopped || error.isEmpty())
                error = u"timed out after " + QString::number(record.timeoutMs) + u" ms";
        }
        failAttempt(attempt.slot, worker + 1, runMs, std::move(outcome.output), std::move(error));
    }

    void failAttempt(std::uint32_t slot, int worker, qint64 runMs, QString output, QString error) {
        TaskRecord& record = records[slot];
        ++failedAttempts;
        if (record.attempts > record.maxRetries) {
            record.state = TaskState::Failed;
            ++failed;
            addEvent(record, worker, runMs, std::move(output), std::move(error));
            return;
        }
        const qint64 delay = backoff.delayMs(record.attempts, rng());
        record.state = TaskState::Retrying;
        addEvent(record, worker, runMs, std::move(output), std::move(error));
        if (shuttingDown) {
            park(record, 0, -1, {});
        } else if (delay == 0) {
            enqueue(slot);
            addEvent(record);
        } else {
            retrySchedule.emplace(nowMs() + delay, slot);
        }
    }

    /// A task that was interrupted by shutdown: pending again, its attempt given back.
    void park(TaskRecord& record, int worker, qint64 runMs, QString output) {
        if (record.state == TaskState::Running && record.attempts > 0)
            --record.attempts;
        record.state = TaskState::Pending;
        ++parked;
        addEvent(record, worker, runMs, std::move(output), QStringLiteral("interrupted by shutdown"));
    }

    /// Stops an attempt on behalf of the pool, remembering when it was asked.
    void askToStop(RunningAttempt& attempt, TaskContext::StopReason reason) {
        attempt.context.requestStop(reason);
        if (attempt.stopAskedMs < 0)
            attempt.stopAskedMs = steadyMs();
    }

    /// Gives up waiting for an attempt that ignores its stop request: its task moves on as if
    /// it had stopped and its worker slot is handed to a fresh thread.
    void abandon(int worker) {
        auto attempt = running[static_cast<std::size_t>(worker)];
        attempt->abandoned = true;
        ++abandoned;
        --loops;
        releaseWorkerIndex(worker);
        qCWarning(lcEngine) << "abandoning task" << attempt->id << "which did not stop within"
                            << abandonAfterMs << "ms";
        complete(*attempt, AttemptOutcome::stopped(), worker);
        allDone.wakeAll();
    }

    qint64 nowMs() const { return clock ? clock() : steadyMs(); }

    /// The body of a worker loop; returns when there is nothing it may run.
    void workerMain(const std::shared_ptr<PoolCore>& self) {
        QMutexLocker lock(&mutex);
        const int worker = acquireWorkerIndex();
        for (;;) {
            if (!canDispatch() || queue.empty())
                break;
            const std::uint32_t slot = queue.pop();
            TaskRecord& record = records[slot];
            record.state = TaskState::Running;
            ++record.attempts;
            record.worker = static_cast<quint16>(worker);
            const qint64 now = steadyNs();
            waitTimes.record(static_cast<std::uint64_t>(std::max<qint64>(0, now - record.enqueuedNs) / 1000));
            auto attempt = std::make_shared<RunningAttempt>(record.id, slot, worker + 1, record.attempts,
                                                            TaskContext::Clock::now() +
                                                                std::chrono::milliseconds(record.timeoutMs));
            running[static_cast<std::size_t>(worker)] = attempt;
            addEvent(record, worker + 1);
            const TaskKind& kind = kinds.at(record.kind);
            const ParamsPtr params = record.params;

            lock.unlock();
            AttemptOutcome outcome = execute(kind, *params, attempt->context);
            lock.relock();

            if (attempt->abandoned) {
                // Our slot and our task were handed on while we were stuck; leave quietly.
                --abandoned;
                allDone.wakeAll();
                (void)self;
                return;
            }
            running[static_cast<std::size_t>(worker)].reset();
            complete(*attempt, std::move(outcome), worker);
        }
        --loops;
        releaseWorkerIndex(worker);
        allDone.wakeAll();
    }

    static AttemptOutcome execute(const TaskKind& kind, const KindParams& params,
                                  TaskContext& context) noexcept {
        try {
            return kind.run(params, context);
        } catch (const std::exception& e) {
            return AttemptOutcome::failed(u"exception: " + QString::fromLocal8Bit(e.what()));
        } catch (...) {
            return AttemptOutcome::failed(QStringLiteral("exception of unknown type"));
        }
    }

    const KindRegistry& kinds;
    mutable QMutex mutex;
    QWaitCondition allDone; ///< signalled whenever a worker loop ends or an attempt completes

    std::vector<TaskRecord> records;
    std::vector<std::uint32_t> freeSlots;
    QHash<TaskId, std::uint32_t> index;
    PendingQueue queue;
    std::set<std::pair<qint64, std::uint32_t>> retrySchedule; ///< (due ms, slot)
    std::vector<std::shared_ptr<RunningAttempt>> running;     ///< by worker index
    std::vector<bool> workerTaken;
    QList<TaskEvent> events;

    Backoff backoff;
    std::function<qint64()> clock;
    std::mt19937_64 rng;
    TaskId nextId = 1;
    int targetWorkers;
    int loops = 0;     ///< worker loops started and not yet finished (abandoned ones excluded)
    int abandoned = 0; ///< abandoned attempts still occupying a thread
    int abandonAfterMs = 1000;
    qint64 parked = 0; ///< pending tasks held back by shutdown
    bool paused = false;
    bool shuttingDown = false;

    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 failedAttempts = 0;
    LatencyHistogram waitTimes;
    LatencyHistogram runTimes;
};

namespace {

class WorkerLoop final : public QRunnable {
public:
    explicit WorkerLoop(std::shared_ptr<PoolCore> core)
        : m_core(std::move(core)) {}
    void run() override { m_core->workerMain(m_core); }

private:
    std::shared_ptr<PoolCore> m_core;
};

} // namespace

int WorkerPool::defaultWorkerCount() {
    return std::max(1, QThread::idealThreadCount());
}

WorkerPool::WorkerPool(const KindRegistry& kinds, QObject* parent)
    : WorkerPool(kinds, Options{}, parent) {}

WorkerPool::WorkerPool(const KindRegistry& kinds, const Options& options, QObject* parent)
    : QObject(parent)
    , m_core(std::make_shared<PoolCore>(kinds, options))
    , m_threads(std::make_unique<QThreadPool>())
    , m_history(options.historyCapacity)
    , m_options(options) {
    qRegisterMetaType<workdeck::TaskEvent>();
    qRegisterMetaType<QList<workdeck::TaskEvent>>();
    qRegisterMetaType<workdeck::StatsSample>();
    m_core->abandonAfterMs = options.abandonAfterMs;
    m_threads->setObjectName(QStringLiteral("workdeck-workers"));
    m_threads->setMaxThreadCount(m_core->targetWorkers);

    m_superviseTimer.setInterval(10);
    m_superviseTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_superviseTimer, &QTimer::timeout, this, &WorkerPool::tick);
    m_sampleTimer.setInterval(std::max(10, options.sampleIntervalMs));
    connect(&m_sampleTimer, &QTimer::timeout, this, &WorkerPool::sampleNow);
    m_sampleTimer.start();
    m_lastSampleNs = steadyNs();
}

WorkerPool::~WorkerPool() {
    if (!isShutDown())
        shutdown(0);
    if (abandonedCount() > 0) {
        // A task ignored every request to stop. QThreadPool's destructor would wait for it
        // forever, so the threads are left to the process; the loops keep the core alive.
        qCWarning(lcEngine) << "leaving" << abandonedCount() << "stuck worker thread(s) behind";
        (void)m_threads.release();
    }
}

const KindRegistry& WorkerPool::kinds() const {
    return m_core->kinds;
}

Result<TaskId> WorkerPool::submit(TaskSpec spec) {
    std::vector<TaskSpec> one;
    one.push_back(std::move(spec));
    auto ids = submitBatch(std::move(one));
    if (!ids)
        return ids.error();
    return ids->front();
}

Result<std::vector<TaskId>> WorkerPool::submitBatch(std::vector<TaskSpec> specs) {
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (auto valid = validate(specs[i], m_core->kinds); !valid) {
            if (specs.size() == 1)
                return valid.error();
            return Error{u"task " + QString::number(i + 1) + u": " + valid.error().message};
        }
    }
    std::vector<TaskId> ids;
    ids.reserve(specs.size());
    int toStart = 0;
    {
        PoolCore& core = *m_core;
        QMutexLocker lock(&core.mutex);
        if (core.shuttingDown)
            return Error{QStringLiteral("the worker pool is shut down")};
        for (const TaskSpec& spec : specs) {
            if (spec.id != 0 && core.index.contains(spec.id))
                return Error{u"id: task " + QString::number(spec.id) + u" is already queued"};
        }
        core.records.reserve(core.records.size() + specs.size());
        core.index.reserve(core.index.size() + static_cast<qsizetype>(specs.size()));
        for (TaskSpec& spec : specs) {
            const TaskId id = spec.id != 0 ? spec.id : core.nextId;
            core.nextId = std::max(core.nextId, id + 1);
            const std::uint32_t slot = core.allocateSlot();
            TaskRecord& record = core.records[slot];
            record.id = id;
            record.params = std::move(spec.params);
            record.timeoutMs = static_cast<quint32>(spec.timeoutMs);
            record.kind = static_cast<quint16>(spec.kind);
            record.priority = static_cast<quint8>(spec.priority);
            record.maxRetries = static_cast<quint8>(spec.maxRetries);
            record.attempts = static_cast<quint16>(spec.attempts);
            core.index.insert(id, slot);
            if (record.attempts > record.maxRetries) {
                // Recovered with its attempts used up: it cannot run again (SPEC S2).
                record.state = TaskState::Failed;
                ++core.failed;
                core.addEvent(record, 0, -1, {}, QStringLiteral("interrupted"));
            } else {
                core.enqueue(slot);
            }
            ids.push_back(id);
        }
        toStart = core.loopsWanted();
        core.loops += toStart;
    }
    startLoops(toStart);
    ensureSupervising();
    return ids;
}

void WorkerPool::startLoops(int count) {
    for (int i = 0; i < count; ++i)
        m_threads->start(new WorkerLoop(m_core));
}

void WorkerPool::ensureSupervising() {
    if (QThread::currentThread() == thread()) {
        if (!m_superviseTimer.isActive())
            m_superviseTimer.start();
        m_wasIdle = false;
        return;
    }
    QMetaObject::invokeMethod(this, &WorkerPool::ensureSupervising, Qt::QueuedConnection);
}

bool WorkerPool::cancel(TaskId id) {
    PoolCore& core = *m_core;
    QMutexLocker lock(&core.mutex);
    const auto it = core.index.constFind(id);
    if (it == core.index.constEnd())
        return false;
    const std::uint32_t slot = *it;
    TaskRecord& record = core.records[slot];
    switch (record.state) {
    case TaskState::Pending:
        if (core.shuttingDown) {
            --core.parked;
        } else {
            core.queue.remove(slot, record.priority);
        }
        break;
    case TaskState::Retrying:
        for (auto entry = core.retrySchedule.begin(); entry != core.retrySchedule.end(); ++entry) {
            if (entry->second == slot) {
                core.retrySchedule.erase(entry);
                break;
            }
        }
        break;
    case TaskState::Running: {
        auto& attempt = core.running[record.worker];
        if (!attempt || attempt->slot != slot)
            return false;
        core.askToStop(*attempt, TaskContext::StopReason::Cancel);
        return true;
    }
    case TaskState::Succeeded:
    case TaskState::Failed:
    case TaskState::Cancelled:
        return false;
    }
    record.state = TaskState::Cancelled;
    ++core.cancelled;
    core.addEvent(record);
    return true;
}

bool WorkerPool::requeue(TaskId id) {
    int toStart = 0;
    {
        PoolCore& core = *m_core;
        QMutexLocker lock(&core.mutex);
        const auto it = core.index.constFind(id);
        if (it == core.index.constEnd() || core.shuttingDown)
            return false;
        TaskRecord& record = core.records[*it];
        if (record.state == TaskState::Failed)
            --core.failed;
        else if (record.state == TaskState::Cancelled)
            --core.cancelled;
        else
            return false;
        record.attempts = 0;
        core.enqueue(*it);
        core.addEvent(record);
        toStart = core.loopsWanted();
        core.loops += toStart;
    }
    startLoops(toStart);
    ensureSupervising();
    return true;
}

std::optional<TaskState> WorkerPool::state(TaskId id) const {
    QMutexLocker lock(&m_core->mutex);
    const auto it = m_core->index.constFind(id);
    if (it == m_core->index.constEnd())
        return std::nullopt;
    return m_core->records[*it].state;
}

void WorkerPool::pause() {
    QMutexLocker lock(&m_core->mutex);
    m_core->paused = true;
}

void WorkerPool::resume() {
    int toStart = 0;
    {
        QMutexLocker lock(&m_core->mutex);
        m_core->paused = false;
        toStart = m_core->loopsWanted();
        m_core->loops += toStart;
    }
    startLoops(toStart);
    ensureSupervising();
}

bool WorkerPool::isPaused() const {
    QMutexLocker lock(&m_core->mutex);
    return m_core->paused;
}

void WorkerPool::setWorkerCount(int workers) {
    int toStart = 0;
    {
        QMutexLocker lock(&m_core->mutex);
        m_core->targetWorkers = std::clamp(workers, 1, 256);
        m_threads->setMaxThreadCount(m_core->targetWorkers + m_core->abandoned);
        toStart = m_core->loopsWanted();
        m_core->loops += toStart;
    }
    startLoops(toStart);
}

int WorkerPool::workerCount() const {
    QMutexLocker lock(&m_core->mutex);
    return m_core->targetWorkers;
}

void WorkerPool::setBackoff(qint64 baseMs, qint64 capMs) {
    QMutexLocker lock(&m_core->mutex);
    m_core->backoff = Backoff(baseMs, capMs);
}

void WorkerPool::setClock(std::function<qint64()> nowMs) {
    QMutexLocker lock(&m_core->mutex);
    m_core->clock = std::move(nowMs);
}

void WorkerPool::setRandomSeed(quint64 seed) {
    QMutexLocker lock(&m_core->mutex);
    m_core->rng.seed(seed);
}

void WorkerPool::shutdown(std::optional<int> graceMs) {
    PoolCore& core = *m_core;
    {
        QMutexLocker lock(&core.mutex);
        if (core.shuttingDown)
            return;
        core.shuttingDown = true;
        for (const auto& [due, slot] : core.retrySchedule)
            core.park(core.records[slot], 0, -1, {});
        core.retrySchedule.clear();
        // Pending tasks stay pending: nothing more to do for them.
        while (!core.queue.empty()) {
            core.queue.pop();
            ++core.parked;
        }

        const auto waitUntil = [&core](qint64 deadlineMs) {
            while (core.runningCount() > 0) {
                const qint64 left = deadlineMs - steadyMs();
                if (left <= 0)
                    break;
                core.allDone.wait(&core.mutex, QDeadlineTimer(left));
            }
        };
        waitUntil(steadyMs() + graceMs.value_or(m_options.graceMs));
        if (core.runningCount() > 0) {
            for (auto& attempt : core.running) {
                if (attempt)
                    core.askToStop(*attempt, TaskContext::StopReason::Shutdown);
            }
            waitUntil(steadyMs() + core.abandonAfterMs);
            for (std::size_t worker = 0; worker < core.running.size(); ++worker) {
                if (core.running[worker])
                    core.abandon(static_cast<int>(worker));
            }
        }
    }
    m_superviseTimer.stop();
    m_sampleTimer.stop();
    flushEvents();
}

bool WorkerPool::isShutDown() const {
    QMutexLocker lock(&m_core->mutex);
    return m_core->shuttingDown;
}

PoolCounters WorkerPool::counters() const {
    const PoolCore& core = *m_core;
    QMutexLocker lock(&core.mutex);
    PoolCounters c;
    c.pending = static_cast<qint64>(core.queue.size()) + core.parked;
    c.running = core.runningCount();
    c.retrying = static_cast<qint64>(core.retrySchedule.size());
    c.succeeded = core.succeeded;
    c.failed = core.failed;
    c.cancelled = core.cancelled;
    c.failedAttempts = core.failedAttempts;
    c.workers = core.targetWorkers;
    c.abandoned = core.abandoned;
    c.paused = core.paused;
    return c;
}

std::array<quint32, 256> WorkerPool::pendingByPriority() const {
    QMutexLocker lock(&m_core->mutex);
    std::array<quint32, 256> result{};
    for (int p = 0; p < 256; ++p)
        result[static_cast<std::size_t>(p)] = m_core->queue.size(p);
    return result;
}

bool WorkerPool::isIdle() const {
    QMutexLocker lock(&m_core->mutex);
    return m_core->idle();
}

int WorkerPool::abandonedCount() const {
    QMutexLocker lock(&m_core->mutex);
    return m_core->abandoned;
}

void WorkerPool::tick() {
    PoolCore& core = *m_core;
    int toStart = 0;
    bool nowIdle = false;
    {
        QMutexLocker lock(&core.mutex);
        const qint64 now = core.nowMs();
        while (!core.retrySchedule.empty() && core.retrySchedule.begin()->first <= now) {
            const std::uint32_t slot = core.retrySchedule.begin()->second;
            core.retrySchedule.erase(core.retrySchedule.begin());
            core.enqueue(slot);
            core.addEvent(core.records[slot]);
        }
        const qint64 steadyNow = steadyMs();
        for (std::size_t worker = 0; worker < core.running.size(); ++worker) {
            const auto& attempt = core.running[worker];
            if (!attempt)
                continue;
            if (attempt->stopAskedMs < 0 && attempt->context.stopRequested())
                core.askToStop(*attempt, TaskContext::StopReason::Timeout);
            if (attempt->stopAskedMs >= 0 && steadyNow - attempt->stopAskedMs >= core.abandonAfterMs)
                core.abandon(static_cast<int>(worker));
        }
        m_threads->setMaxThreadCount(core.targetWorkers + core.abandoned);
        toStart = core.loopsWanted();
        core.loops += toStart;
        nowIdle = core.idle();
    }
    startLoops(toStart);

    const qint64 nowMs = steadyMs();
    if (nowIdle || nowMs - m_lastNotifyMs >= m_options.notifyIntervalMs) {
        m_lastNotifyMs = nowMs;
        flushEvents();
    }
    if (nowIdle && !m_wasIdle) {
        m_wasIdle = true;
        m_superviseTimer.stop();
        emit idle();
    }
}

void WorkerPool::flushEvents() {
    QList<TaskEvent> batch;
    {
        QMutexLocker lock(&m_core->mutex);
        batch.swap(m_core->events);
    }
    if (!batch.isEmpty())
        emit tasksChanged(batch);
}

void WorkerPool::sampleNow() {
    LatencyHistogram waitNow;
    LatencyHistogram runNow;
    const PoolCounters c = counters();
    qint64 finished = 0;
    int active = 0;
    {
        QMutexLocker lock(&m_core->mutex);
        waitNow = m_core->waitTimes;
        runNow = m_core->runTimes;
        finished = m_core->succeeded + m_core->failed + m_core->cancelled;
        active = static_cast<int>(m_core->runningCount());
    }
    const qint64 nowNs = steadyNs();
    const double seconds = std::max(1e-3, static_cast<double>(nowNs - m_lastSampleNs) / 1e9);
    m_lastSampleNs = nowNs;

    StatsSample sample;
    sample.atMs = QDateTime::currentMSecsSinceEpoch();
    sample.finishedPerSec = static_cast<double>(finished - m_lastFinished) / seconds;
    sample.failedPerSec = static_cast<double>(c.failedAttempts - m_lastFailedAttempts) / seconds;
    m_lastFinished = finished;
    m_lastFailedAttempts = c.failedAttempts;
    sample.pending = c.pending;
    sample.running = c.running;
    sample.retrying = c.retrying;
    sample.succeeded = c.succeeded;
    sample.failed = c.failed;
    sample.cancelled = c.cancelled;
    sample.workers = c.workers;
    sample.activeWorkers = active;
    const LatencyHistogram wait = waitNow.since(m_previousWait);
    const LatencyHistogram run = runNow.since(m_previousRun);
    sample.waitP50Us = static_cast<qint64>(wait.percentile(0.50));
    sample.waitP95Us = static_cast<qint64>(wait.percentile(0.95));
    sample.runP50Us = static_cast<qint64>(run.percentile(0.50));
    sample.runP95Us = static_cast<qint64>(run.percentile(0.95));
    m_previousWait = waitNow;
    m_previousRun = runNow;

    m_history.append(sample);
    emit statsSampled(sample);
}

} // namespace workdeck
