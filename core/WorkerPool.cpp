#include "WorkerPool.h"

#include "CallQueue.h"
#include "Logging.h"
#include "PoolCore.h"
#include "Prefetch.h"

#include <QDateTime>
#include <QRunnable>
#include <QThread>
#include <QThreadPool>

// ThreadSanitizer builds (the tsan preset) only: QThreadPool hands a runnable to its thread through
// a queue guarded by a mutex inside Debian's Qt, which is not built with TSan, so TSan does not see
// that handoff. startLoops() releases each loop before start() and WorkerLoop::run() acquires it:
// the loop's construction happens before its run, which is what Qt's mutex guarantees.
#if defined(__SANITIZE_THREAD__)
#define WORKDECK_TSAN_HANDOFF 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define WORKDECK_TSAN_HANDOFF 1
#endif
#endif
#ifdef WORKDECK_TSAN_HANDOFF
#include <sanitizer/tsan_interface.h>
#endif

namespace workdeck {

namespace {

Result<void> validate(const TaskSpec& spec, const KindRegistry& kinds)
{
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

class WorkerLoop final : public QRunnable {
public:
    explicit WorkerLoop(std::shared_ptr<PoolCore> core)
        : m_core(std::move(core))
    {
    }
    // The loop holds the core so that an abandoned attempt returning late still finds it.
    void run() override
    {
#ifdef WORKDECK_TSAN_HANDOFF
        __tsan_acquire(this);
#endif
        m_core->workerMain();
    }

private:
    std::shared_ptr<PoolCore> m_core;
};

} // namespace

int WorkerPool::defaultWorkerCount()
{
    return std::max(1, QThread::idealThreadCount());
}

WorkerPool::WorkerPool(const KindRegistry& kinds, QObject* parent)
    : WorkerPool(kinds, Options{}, parent)
{
}

WorkerPool::WorkerPool(const KindRegistry& kinds, const Options& options, QObject* parent)
    : QObject(parent)
    , m_core(std::make_shared<PoolCore>(kinds, options.backoffBaseMs, options.backoffCapMs, options.workers))
    , m_threads(std::make_unique<QThreadPool>())
    , m_history(options.historyCapacity)
    , m_options(options)
    , m_calls(new CallQueue(this))
{
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
    m_lastSampleNs = PoolCore::steadyNs();
    // The last tasks' changes and idle() go out as soon as the workers run out of work, not up
    // to a timer interval later. A queued call: the loop holds the pool's lock.
    m_core->lastLoopEnded = [this] { m_calls->post([this] { onWorkersRanOut(); }); };
}

WorkerPool::~WorkerPool()
{
    {
        // A call posted before this point is dropped with the object; none is posted after.
        QMutexLocker lock(&m_core->mutex);
        m_core->lastLoopEnded = nullptr;
    }
    if (!isShutDown())
        shutdown(0);
    if (abandonedCount() > 0) {
        // A task ignored every request to stop. QThreadPool's destructor would wait for it
        // forever, so its thread is left to the process; the loop keeps the core alive.
        qCWarning(lcEngine) << "leaving" << abandonedCount() << "stuck worker thread(s) behind";
        (void)m_threads.release();
    }
}

const KindRegistry& WorkerPool::kinds() const
{
    return m_core->kinds;
}

Result<TaskId> WorkerPool::submit(const TaskSpec& spec)
{
    auto ids = submitBatch(std::span(&spec, 1));
    if (!ids)
        return ids.error();
    return ids->front();
}

Result<std::vector<TaskId>> WorkerPool::submitBatch(std::span<const TaskSpec> specs)
{
    bool givenIds = false;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (auto valid = validate(specs[i], m_core->kinds); !valid) {
            if (specs.size() == 1)
                return valid.error();
            return Error{u"task " + QString::number(i + 1) + u": " + valid.error().message};
        }
        givenIds = givenIds || specs[i].id != 0;
    }
    PoolCore& core = *m_core;
    // Queued in small chunks, so that the workers, a cancel or the window's reads of the pool
    // wait one chunk at most for the lock, which a spinning worker sits out without going to
    // sleep. Under the lock a chunk only takes its slots, ids and references to its parameters;
    // its records are written without the lock, and then it is published: workers running
    // while a large batch is queued keep pace with it instead of waiting for the lock.
    constexpr std::size_t chunk = 1024;
    std::vector<TaskId> ids;
    ids.reserve(specs.size());
    PoolCore::Reservation reserved;
    PoolCore::Reservation next;
    {
        QMutexLocker lock(&core.mutex);
        if (core.shuttingDown)
            return Error{QStringLiteral("the worker pool is shut down")};
        // Another pass over a large batch is another trip through memory, and under the lock.
        for (std::size_t i = 0; givenIds && i < specs.size(); ++i) {
            if (specs[i].id != 0 && core.slotOf(specs[i].id) != TaskIndex::None)
                return Error{u"id: task " + QString::number(specs[i].id) + u" is already queued"};
        }
        core.slotUses.reserve(core.records.size() + specs.size());
        core.reserveLocked(specs.data(), std::min(chunk, specs.size()), reserved);
    }
    for (std::size_t begin = 0; begin < specs.size(); begin += chunk) {
        const std::size_t end = std::min(specs.size(), begin + chunk);
        const qint64 now = PoolCore::steadyNs();
        // A batch of mixed priorities writes its records in as many places as it has priorities
        // (see FreeSlotSet), too many for the processor to foresee: they are fetched ahead.
        constexpr std::size_t ahead = 16;
        for (std::size_t i = begin; i < end; ++i) {
            if (i + ahead < end)
                prefetchForWriting(&core.records[reserved.taken[i + ahead - begin]], sizeof(PoolRecord));
            core.records[reserved.taken[i - begin]] = PoolCore::recordOf(specs[i], reserved, i - begin, now);
        }
        int toStart = 0;
        {
            const SpinLocker lock(core.mutex);
            core.publishLocked(reserved, specs.data() + begin);
            if (end < specs.size())
                core.reserveLocked(specs.data() + end, std::min(chunk, specs.size() - end), next);
            // The submitting thread is busy on a core of its own: the last worker loop waits
            // until the batch is in. Started at once, it and the others fought the submitting
            // thread for the lock and the cores, and on two cores a million tasks finished
            // later, not sooner (bench_engine, side by side).
            toStart = core.reserveLoops(1);
        }
        startLoops(toStart);
        ids.insert(ids.end(), reserved.ids.begin(), reserved.ids.end());
        std::swap(reserved, next);
    }
    int toStart = 0;
    {
        const SpinLocker lock(core.mutex);
        toStart = core.reserveLoops();
    }
    startLoops(toStart);
    ensureSupervising();
    return ids;
}

void WorkerPool::startLoops(int count)
{
    for (int i = 0; i < count; ++i) {
        auto* loop = new WorkerLoop(m_core);
#ifdef WORKDECK_TSAN_HANDOFF
        __tsan_release(loop);
#endif
        m_threads->start(loop);
    }
}

void WorkerPool::ensureSupervising()
{
    if (QThread::currentThread() == thread()) {
        if (!m_superviseTimer.isActive() && !isShutDown())
            m_superviseTimer.start();
        m_wasIdle = false;
        return;
    }
    m_calls->post([this] { ensureSupervising(); });
}

bool WorkerPool::cancel(TaskId id)
{
    bool cancelled = false;
    {
        QMutexLocker lock(&m_core->mutex);
        cancelled = m_core->cancelLocked(id);
    }
    if (cancelled)
        ensureSupervising();
    return cancelled;
}

bool WorkerPool::requeue(TaskId id)
{
    int toStart = 0;
    {
        QMutexLocker lock(&m_core->mutex);
        if (!m_core->requeueLocked(id))
            return false;
        toStart = m_core->reserveLoops();
    }
    startLoops(toStart);
    ensureSupervising();
    return true;
}

std::optional<TaskState> WorkerPool::state(TaskId id) const
{
    QMutexLocker lock(&m_core->mutex);
    const std::uint32_t slot = m_core->slotOf(id);
    if (slot == TaskIndex::None)
        return std::nullopt;
    return m_core->stateOf(slot);
}

void WorkerPool::pause()
{
    QMutexLocker lock(&m_core->mutex);
    m_core->paused = true;
    m_core->bumpEpoch();
}

void WorkerPool::resume()
{
    int toStart = 0;
    {
        QMutexLocker lock(&m_core->mutex);
        m_core->paused = false;
        toStart = m_core->reserveLoops();
    }
    startLoops(toStart);
    ensureSupervising();
}

bool WorkerPool::isPaused() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->paused;
}

void WorkerPool::setWorkerCount(int workers)
{
    int toStart = 0;
    {
        QMutexLocker lock(&m_core->mutex);
        m_core->targetWorkers = std::clamp(workers, 1, 256);
        m_core->bumpEpoch();
        m_threads->setMaxThreadCount(m_core->targetWorkers + m_core->abandoned);
        toStart = m_core->reserveLoops();
    }
    startLoops(toStart);
}

int WorkerPool::workerCount() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->targetWorkers;
}

void WorkerPool::setBackoff(qint64 baseMs, qint64 capMs)
{
    QMutexLocker lock(&m_core->mutex);
    m_core->backoff = Backoff(baseMs, capMs);
}

void WorkerPool::setClock(std::function<qint64()> nowMs)
{
    QMutexLocker lock(&m_core->mutex);
    m_core->clock = std::move(nowMs);
}

void WorkerPool::setRandomSeed(quint64 seed)
{
    QMutexLocker lock(&m_core->mutex);
    m_core->rng.seed(seed);
}

void WorkerPool::shutdown(std::optional<int> graceMs)
{
    PoolCore& core = *m_core;
    {
        QMutexLocker lock(&core.mutex);
        if (core.shuttingDown)
            return;
        core.beginShutdownLocked();
        const auto waitForLoops = [&core](qint64 forMs) {
            const qint64 deadline = PoolCore::steadyMs() + forMs;
            while (core.loops > 0) {
                const qint64 left = deadline - PoolCore::steadyMs();
                if (left <= 0)
                    break;
                core.allDone.wait(&core.mutex, QDeadlineTimer(left));
            }
        };
        waitForLoops(graceMs.value_or(m_options.graceMs));
        if (core.loops > 0) {
            core.stopAllLocked(TaskContext::StopReason::Shutdown);
            waitForLoops(core.abandonAfterMs);
            core.abandonAllLocked();
        }
        core.parkQueueLocked();
    }
    m_superviseTimer.stop();
    m_sampleTimer.stop();
    flushEvents();
}

bool WorkerPool::isShutDown() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->shuttingDown;
}

PoolCounters WorkerPool::counters() const
{
    const PoolCore& core = *m_core;
    QMutexLocker lock(&core.mutex);
    PoolCounters c;
    c.pending = core.pendingCount();
    c.running = core.executingCount();
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

std::array<quint32, 256> WorkerPool::pendingByPriority() const
{
    QMutexLocker lock(&m_core->mutex);
    std::array<quint32, 256> result{};
    for (int p = 0; p < 256; ++p)
        result[static_cast<std::size_t>(p)] = m_core->queue.size(p);
    return result;
}

bool WorkerPool::isIdle() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->idle();
}

int WorkerPool::abandonedCount() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->abandoned;
}

void WorkerPool::tick()
{
    PoolCore& core = *m_core;
    int toStart = 0;
    bool nowIdle = false;
    {
        QMutexLocker lock(&core.mutex);
        if (core.shuttingDown)
            return;
        core.superviseLocked();
        m_threads->setMaxThreadCount(core.targetWorkers + core.abandoned);
        toStart = core.reserveLoops();
        nowIdle = core.idle();
    }
    startLoops(toStart);

    const qint64 nowMs = PoolCore::steadyMs();
    if (m_eventsLeft || nowIdle || nowMs - m_lastNotifyMs >= m_options.notifyIntervalMs) {
        m_lastNotifyMs = nowMs;
        // Small lists within a time budget: a backlog goes out over several ticks, with the
        // thread's other work (painting, input) in between.
        constexpr std::size_t budgetedBatch = 2048;
        m_eventsLeft = !deliverEvents(qint64{m_options.deliveryBudgetMs} * 1'000'000, budgetedBatch);
    }
    if (nowIdle && !m_eventsLeft && !m_wasIdle) {
        m_wasIdle = true;
        m_superviseTimer.stop();
        emit idle();
    }
}

void WorkerPool::onWorkersRanOut()
{
    // A backlog going out over several ticks keeps its pace: the timer's ticks finish it.
    if (m_eventsLeft)
        return;
    tick();
    // The next tick a whole interval from now, so that two lists never go out back to back
    // without the thread's other work in between.
    if (m_superviseTimer.isActive())
        m_superviseTimer.start();
}

void WorkerPool::flushEvents()
{
    // Fresh memory costs a page fault per 40 events, more than making them: large lists, whose
    // capacity is reused.
    constexpr std::size_t maxBatch = 16'384;
    deliverEvents(0, maxBatch);
    m_eventsLeft = false;
}

bool WorkerPool::deliverEvents(qint64 budgetNs, std::size_t maxBatch)
{
    const qint64 startNs = budgetNs > 0 ? PoolCore::steadyNs() : 0;
    EventBacklog& backlog = m_core->delivering;
    // A list that no receiver kept is emptied and filled again, keeping its capacity. A receiver
    // that flushes from its slot carries on with the same backlog, so the order holds. What a
    // previous call left goes out first, then what was collected since.
    bool collected = false;
    for (;;) {
        if (backlog.empty()) {
            if (collected)
                break;
            collected = true;
            QMutexLocker lock(&m_core->mutex);
            std::swap(backlog, m_core->events);
            continue;
        }
        if (budgetNs > 0 && PoolCore::steadyNs() - startNs >= budgetNs)
            return false;
        QList<TaskEvent> batch;
        batch.swap(m_spareEvents);
        m_core->drainEvents(backlog, batch, maxBatch);
        emit tasksChanged(batch);
        if (batch.isDetached()) {
            batch.clear();
            m_spareEvents.swap(batch);
        }
    }
    backlog = {};
    return true;
}

void WorkerPool::sampleNow()
{
    LatencyHistogram waitNow;
    LatencyHistogram runNow;
    const PoolCounters c = counters();
    qint64 finished = 0;
    {
        QMutexLocker lock(&m_core->mutex);
        waitNow = m_core->waitTimes;
        runNow = m_core->runTimes;
        finished = m_core->succeeded + m_core->failed + m_core->cancelled;
    }
    const qint64 nowNs = PoolCore::steadyNs();
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
    sample.activeWorkers = static_cast<int>(c.running);
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
