#include "PoolCore.h"

#include "BackgroundPriority.h"
#include "Logging.h"
#include "SteadyClock.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>
#include <chrono>
#include <limits>

namespace workdeck {

namespace {

// Workers take about this much work from the queue at a time: enough that the lock, and the
// cache lines it moves between cores, cost under 1% for tasks of 10 µs and more, one task at a
// time for anything over a millisecond. A cancel or pause still reaches them between tasks.
constexpr double batchTargetNs = 1'000'000;
// With tasks of a microsecond or less, a worker taking 256 at a time came back for the lock
// every 25 µs and, while a batch was being queued, found it held by the submitting thread
// about half the time: 1,024 ran a million no-op tasks in 93 ms against 110 (side by side).
constexpr std::size_t maxBatch = 1024;

AttemptOutcome execute(const TaskKind& kind, const KindParams& params, TaskContext& context) noexcept
{
    try {
        return kind.run(params, context);
    } catch (const std::exception& e) {
        return AttemptOutcome::failed(u"exception: " + QString::fromLocal8Bit(e.what()));
    } catch (...) {
        return AttemptOutcome::failed(QStringLiteral("exception of unknown type"));
    }
}

void recordTimes(LatencyHistogram& waitTimes, LatencyHistogram& runTimes, const FinishedAttempt& attempt)
{
    waitTimes.record(
        static_cast<std::uint64_t>(std::max<qint64>(0, attempt.startNs - attempt.claim.enqueuedNs) / 1000));
    runTimes.record(static_cast<std::uint64_t>(std::max<qint64>(0, attempt.endNs - attempt.startNs) / 1000));
}

} // namespace

PoolCore::PoolCore(const KindRegistry& registry, qint64 backoffBaseMs, qint64 backoffCapMs, int workerCount)
    : kinds(registry)
    , backoff(backoffBaseMs, backoffCapMs)
    , rng(QRandomGenerator::global()->generate64())
    , targetWorkers(std::max(1, workerCount))
    , m_steadyBaseNs(steadyNs())
    , m_wallBaseMs(QDateTime::currentMSecsSinceEpoch())
{
}

qint64 PoolCore::steadyNs()
{
    return SteadyClock::nowNs();
}

void PoolCore::reserveLocked(const TaskSpec* specs, std::size_t count, Reservation& reserved)
{
    reserved.ids.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const TaskId id = specs[i].id != 0 ? specs[i].id : nextId;
        nextId = std::max(nextId, id + 1);
        reserved.ids[i] = id;
    }
    // Slots by priority: see FreeSlotSet. The table grows a word of the set at a time.
    reserved.taken.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto priority = static_cast<std::size_t>(specs[i].priority);
        std::uint32_t slot = freeSlots.take(priority);
        if (slot == FreeSlotSet::None) {
            freeSlots.addWord(records.grow(64));
            slotUses.resize(records.size(), SlotUse::Free);
            slot = freeSlots.take(priority);
        }
        reserved.taken[i] = slot;
    }
    // Runs of tasks sharing one parameter object take their references at once.
    reserved.params.resize(count);
    for (std::size_t begin = 0, end = 1; begin < count; begin = end++) {
        while (end < count && specs[end].params == specs[begin].params)
            ++end;
        std::fill(reserved.params.begin() + static_cast<std::ptrdiff_t>(begin),
                  reserved.params.begin() + static_cast<std::ptrdiff_t>(end),
                  params.acquire(specs[begin].params, end - begin));
    }
}

PoolRecord PoolCore::recordOf(const TaskSpec& spec, const Reservation& reserved, std::size_t i, qint64 nowNs)
{
    PoolRecord record;
    record.id = reserved.ids[i];
    record.enqueuedNs = nowNs;
    record.paramsObject = spec.params.get(); // the object of the entry reserved.params[i]
    record.params = reserved.params[i];
    record.timeoutMs = static_cast<quint32>(spec.timeoutMs);
    record.kind = static_cast<quint16>(spec.kind);
    record.priority = static_cast<quint8>(spec.priority);
    record.maxRetries = static_cast<quint8>(spec.maxRetries);
    record.attempts = static_cast<quint16>(spec.attempts);
    return record;
}

std::uint32_t PoolCore::slotOf(TaskId id) const
{
    const std::uint32_t slot = index.find(id);
    return holds(id, slot) ? slot : TaskIndex::None;
}

void PoolCore::enqueue(std::uint32_t slot, qint64 nowNs)
{
    PoolRecord& record = records[slot];
    record.state = TaskState::Pending;
    record.enqueuedNs = nowNs;
    queue.push(slot, record.priority);
}

TaskEvent PoolCore::makeEvent(TaskId id, TaskState state, int attempts, int worker, qint64 startedNs,
                              qint64 endNs, QString output, QString error) const
{
    TaskEvent event;
    setEvent(event, id, state, attempts, worker, startedNs, endNs);
    event.output = std::move(output);
    event.error = std::move(error);
    return event;
}

void PoolCore::setEvent(TaskEvent& event, TaskId id, TaskState state, int attempts, int worker,
                        qint64 startedNs, qint64 endNs) const
{
    event.id = id;
    event.state = state;
    event.attempts = attempts;
    event.worker = worker;
    event.atMs = wallMs(endNs >= 0 ? endNs : startedNs >= 0 ? startedNs : steadyNs());
    if (startedNs >= 0) {
        event.startedAtMs = wallMs(startedNs);
        if (endNs >= 0)
            event.runMs = (endNs - startedNs) / 1'000'000;
    }
}

void PoolCore::drainEvents(EventBacklog& backlog, QList<TaskEvent>& out, std::size_t max) const
{
    std::size_t count = std::min(max, backlog.left());
    out.reserve(out.size() + static_cast<qsizetype>(count));
    while (count > 0) {
        const std::size_t eventAfter = backlog.nextEvent < backlog.events.size()
                                           ? backlog.after[static_cast<std::size_t>(backlog.nextEvent)]
                                           : SIZE_MAX;
        if (eventAfter <= backlog.nextDone) {
            out.append(std::move(backlog.events[backlog.nextEvent++]));
            --count;
            continue;
        }
        // The succeeded attempts up to the next other event, a run at a time, made in place:
        // they are most events, and each costs what its few fields cost to set.
        while (backlog.doneInList == backlog.done[backlog.doneList].size()) {
            ++backlog.doneList;
            backlog.doneInList = 0;
        }
        const std::vector<EventBacklog::Done>& list = backlog.done[backlog.doneList];
        const std::size_t run =
            std::min({count, eventAfter - backlog.nextDone, list.size() - backlog.doneInList});
        const qsizetype first = out.size();
        out.resize(first + static_cast<qsizetype>(run));
        TaskEvent* event = out.data() + first;
        const EventBacklog::Done* done = list.data() + backlog.doneInList;
        for (const EventBacklog::Done* end = done + run; done != end; ++done, ++event) {
            event->id = done->id;
            event->state = TaskState::Succeeded;
            event->attempts = done->attempt;
            event->worker = done->worker;
            event->startedAtMs = wallMs(done->startNs);
            event->runMs = done->runMs;
            event->atMs = event->startedAtMs + done->runMs; // it ended whole milliseconds later
            if (done->hasOutput)
                event->output = std::move(backlog.outputs[backlog.nextOutput++]);
        }
        backlog.doneInList += run;
        backlog.nextDone += run;
        count -= run;
    }
}

void PoolCore::addEvent(const PoolRecord& record, int worker, qint64 startedNs, qint64 endNs, QString output,
                        QString error)
{
    addEvent(makeEvent(record.id, record.state, record.attempts, worker, startedNs, endNs, std::move(output),
                       std::move(error)));
}

void PoolCore::addEvent(TaskEvent event)
{
    events.events.append(std::move(event));
    events.after.push_back(m_eventPosition != SIZE_MAX ? m_eventPosition : events.doneCount);
}

void PoolCore::publishLocked(const Reservation& reserved, const TaskSpec* specs)
{
    // Runs of ids in order go to the index at once.
    const std::size_t count = reserved.size();
    for (std::size_t begin = 0, end = 1; begin < count; begin = end++) {
        while (end < count && reserved.ids[end] == reserved.ids[end - 1] + 1)
            ++end;
        index.insertRun(reserved.ids[begin], reserved.taken.data() + begin, end - begin);
    }
    // The records were written outside the lock and are not read here: what the queue needs
    // is in the specs, which were read for the records just now.
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t slot = reserved.taken[i];
        slotUses[slot] = SlotUse::Held;
        if (specs[i].attempts > specs[i].maxRetries) {
            // Recovered with its attempts used up: it cannot run again (SPEC S2).
            PoolRecord& record = records[slot];
            record.state = TaskState::Failed;
            ++failed;
            addEvent(record, 0, -1, -1, {}, QStringLiteral("interrupted"));
            continue;
        }
        queue.push(slot, specs[i].priority);
    }
}

bool PoolCore::cancelLocked(TaskId id)
{
    const std::uint32_t slot = slotOf(id);
    if (slot == TaskIndex::None)
        return false;
    PoolRecord& record = records[slot];
    if (slotUses[slot] == SlotUse::Claimed) {
        // The worker holding it settles it: at once if it has not started it, else by stopping it.
        record.cancelRequested = true;
        bumpEpoch();
        for (const auto& worker : workers) {
            if (!worker || worker->phase.load() != WorkerSlot::Executing || worker->currentSlot() != slot)
                continue;
            const std::uint32_t serial = worker->currentSerial();
            if (worker->context.requestStop(serial, TaskContext::StopReason::Cancel)) {
                worker->stopAskedSerial = serial;
                worker->stopAskedMs = steadyMs();
            }
        }
        return true;
    }
    switch (record.state) {
    case TaskState::Pending:
        if (shuttingDown && parked > 0)
            --parked;
        else
            queue.remove(slot, record.priority);
        break;
    case TaskState::Retrying:
        for (auto entry = retrySchedule.begin(); entry != retrySchedule.end(); ++entry) {
            if (entry->second == slot) {
                retrySchedule.erase(entry);
                break;
            }
        }
        break;
    case TaskState::Running: // not in a record: a claimed task is found above
    case TaskState::Succeeded:
    case TaskState::Failed:
    case TaskState::Cancelled:
        return false;
    }
    record.state = TaskState::Cancelled;
    ++cancelled;
    addEvent(record);
    return true;
}

bool PoolCore::requeueLocked(TaskId id)
{
    const std::uint32_t slot = slotOf(id);
    if (slot == TaskIndex::None || shuttingDown)
        return false;
    PoolRecord& record = records[slot];
    if (record.state == TaskState::Failed)
        --failed;
    else if (record.state == TaskState::Cancelled)
        --cancelled;
    else
        return false;
    record.attempts = 0;
    record.cancelRequested = false;
    enqueue(slot, steadyNs());
    addEvent(record);
    return true;
}

int PoolCore::reserveLoops(int spare)
{
    if (paused || shuttingDown)
        return 0;
    const auto wanted = std::min<qint64>(targetWorkers - spare - loops, static_cast<qint64>(queue.size()));
    const int count = static_cast<int>(std::max<qint64>(0, wanted));
    loops += count;
    return count;
}

bool PoolCore::idle() const
{
    return queue.empty() && retrySchedule.empty() && claimed == 0 && parked == 0;
}

int PoolCore::executingCount() const
{
    int count = 0;
    for (const auto& worker : workers)
        count += worker && worker->phase.load(std::memory_order_acquire) == WorkerSlot::Executing ? 1 : 0;
    return count;
}

qint64 PoolCore::pendingCount() const
{
    // Claimed tasks that have not started yet are still waiting, from the user's point of view.
    return static_cast<qint64>(queue.size()) + parked + std::max<qint64>(0, claimed - executingCount());
}

std::shared_ptr<WorkerSlot> PoolCore::acquireWorker()
{
    for (std::size_t i = 0; i < workers.size(); ++i) {
        if (!workers[i]) {
            workers[i] = std::make_shared<WorkerSlot>(static_cast<int>(i));
            return workers[i];
        }
    }
    workers.push_back(std::make_shared<WorkerSlot>(static_cast<int>(workers.size())));
    return workers.back();
}

void PoolCore::releaseWorker(const WorkerSlot& worker)
{
    auto& entry = workers[static_cast<std::size_t>(worker.index)];
    if (entry.get() == &worker)
        entry.reset();
}

void PoolCore::claimBatch(WorkerSlot& worker)
{
    std::size_t count = 1;
    if (worker.averageRunNs > 0)
        count =
            static_cast<std::size_t>(std::clamp(batchTargetNs / worker.averageRunNs, 1.0, double(maxBatch)));
    // Leave work for the other workers when the queue is short.
    count = std::min(count, std::max<std::size_t>(1, queue.size() / static_cast<std::size_t>(targetWorkers)));
    worker.claims.clear();
    worker.next = 0;
    worker.taken.resize(count);
    worker.taken.resize(queue.popMany(worker.taken.data(), count));
    for (const std::uint32_t slot : worker.taken)
        slotUses[slot] = SlotUse::Claimed;
    claimed += static_cast<qint64>(worker.taken.size());
}

void PoolCore::makeClaims(WorkerSlot& worker) const
{
    // With mixed priorities the records are scattered through the table: fetch them ahead, by
    // a fixed distance rather than all at once, as a core tracks only so many misses. A million
    // queued no-op tasks ran in 55-59 ms fetched 24 ahead, both lines, against 62 fetched 12
    // ahead, the first line only (side by side); 48 ahead made no difference.
    constexpr std::size_t ahead = 24;
    const std::size_t taken = worker.taken.size();
    const auto prefetch = [this](std::uint32_t slot) {
        // Both ends: a 40-byte record lies across two cache lines one time in two.
        const auto* record = reinterpret_cast<const char*>(&records[slot]);
        __builtin_prefetch(record);
        __builtin_prefetch(record + sizeof(PoolRecord) - 1);
    };
    for (std::size_t i = 0; i < std::min(ahead, taken); ++i)
        prefetch(worker.taken[i]);
    worker.claims.reserve(taken);
    for (std::size_t i = 0; i < taken; ++i) {
        if (i + ahead < taken)
            prefetch(worker.taken[i + ahead]);
        const std::uint32_t slot = worker.taken[i];
        const PoolRecord& record = records[slot];
        if (++worker.nextSerial == 0)
            ++worker.nextSerial;
        worker.claims.push_back(Claim{record.id, slot, worker.nextSerial, &kinds.at(record.kind),
                                      record.paramsObject, record.params, record.enqueuedNs, record.timeoutMs,
                                      record.attempts + 1});
    }
    worker.taken.clear();
}

void PoolCore::unclaim(std::uint32_t slot)
{
    --claimed;
    slotUses[slot] = SlotUse::Held;
    queue.pushFront(slot, records[slot].priority);
}

void PoolCore::takeFinished(WorkerSlot& worker)
{
    if (worker.done.empty() && worker.finished.empty())
        return;
    // Succeeded tasks let go of their slots without a look at their records: the worker read
    // what it takes from them outside the lock.
    const auto count = static_cast<qint64>(worker.doneSlots.size());
    for (std::size_t i = 0; i < worker.doneSlots.size();) {
        const std::uint32_t entry = worker.doneSlots[i].params;
        std::size_t same = i;
        for (; same < worker.doneSlots.size() && worker.doneSlots[same].params == entry; ++same) {
            const std::uint32_t slot = worker.doneSlots[same].slot;
            slotUses[slot] = SlotUse::Free;
            freeSlots.add(slot);
            index.release(worker.done[same].id);
        }
        params.release(entry, same - i);
        i = same;
    }
    claimed -= count;
    succeeded += count;
    worker.doneSlots.clear();
    const std::size_t base = events.doneCount;
    if (!worker.done.empty()) {
        events.doneCount += worker.done.size();
        events.done.push_back(std::move(worker.done));
        worker.done = {}; // the worker allocates the next list, outside the lock
    }
    for (QString& output : worker.doneOutputs)
        events.outputs.push_back(std::move(output));
    worker.doneOutputs.clear();
    for (FinishedAttempt& attempt : worker.finished) {
        m_eventPosition = base + attempt.successesBefore;
        complete(attempt, worker.index);
    }
    m_eventPosition = SIZE_MAX;
    worker.finished.clear();
    waitTimes.takeFrom(worker.waitTimes);
    runTimes.takeFrom(worker.runTimes);
}

void PoolCore::settle(WorkerSlot& worker)
{
    takeFinished(worker);

    // Claims not started yet: cancelled ones end here; the rest go back if this loop must stop.
    const bool keep = canDispatch();
    std::size_t kept = worker.next;
    for (std::size_t i = worker.next; i < worker.claims.size(); ++i) {
        const std::uint32_t slot = worker.claims[i].slot;
        PoolRecord& record = records[slot];
        if (record.cancelRequested) {
            --claimed;
            slotUses[slot] = SlotUse::Held;
            record.cancelRequested = false;
            record.state = TaskState::Cancelled;
            ++cancelled;
            addEvent(record);
            continue;
        }
        worker.claims[kept++] = worker.claims[i];
    }
    worker.claims.resize(kept);
    if (keep)
        return;
    for (std::size_t i = worker.claims.size(); i > worker.next; --i)
        unclaim(worker.claims[i - 1].slot);
    worker.claims.resize(worker.next);
}

void PoolCore::complete(FinishedAttempt& attempt, int worker)
{
    const Claim& claim = attempt.claim;
    PoolRecord& record = records[claim.slot];
    --claimed;
    slotUses[claim.slot] = SlotUse::Held;
    const int shown = worker + 1;
    AttemptOutcome& outcome = attempt.outcome;
    if (attempt.stop == TaskContext::StopReason::Shutdown) {
        // The interrupted attempt is not the task's fault: it does not count.
        park(record, shown, attempt.startNs, attempt.endNs, std::move(outcome.output));
        return;
    }
    record.attempts = static_cast<quint16>(claim.attempt);
    if (attempt.stop == TaskContext::StopReason::Cancel || record.cancelRequested) {
        record.cancelRequested = false;
        record.state = TaskState::Cancelled;
        ++cancelled;
        addEvent(record, shown, attempt.startNs, attempt.endNs, std::move(outcome.output),
                 QStringLiteral("cancelled while running"));
        return;
    }
    QString error = std::move(outcome.error);
    if (outcome.status == AttemptOutcome::Status::Stopped || attempt.stop == TaskContext::StopReason::Timeout)
        error = u"timed out after " + QString::number(record.timeoutMs) + u" ms";
    else if (error.isEmpty())
        error = QStringLiteral("failed without a message");
    failAttempt(claim.slot, shown, attempt.startNs, attempt.endNs, std::move(outcome.output),
                std::move(error));
}

void PoolCore::failAttempt(std::uint32_t slot, int worker, qint64 startNs, qint64 endNs, QString output,
                           QString error)
{
    PoolRecord& record = records[slot];
    ++failedAttempts;
    if (record.attempts > record.maxRetries) {
        record.state = TaskState::Failed;
        ++failed;
        addEvent(record, worker, startNs, endNs, std::move(output), std::move(error));
        return;
    }
    const qint64 delay = backoff.delayMs(record.attempts, rng());
    record.state = TaskState::Retrying;
    addEvent(record, worker, startNs, endNs, std::move(output), std::move(error));
    if (shuttingDown) {
        park(record, 0, -1, -1, {});
    } else if (delay == 0) {
        enqueue(slot, steadyNs());
        addEvent(record);
    } else {
        retrySchedule.emplace(nowMs() + delay, slot);
    }
}

void PoolCore::park(PoolRecord& record, int worker, qint64 startNs, qint64 endNs, QString output)
{
    record.state = TaskState::Pending;
    ++parked;
    addEvent(record, worker, startNs, endNs, std::move(output), QStringLiteral("interrupted by shutdown"));
}

void PoolCore::abandon(WorkerSlot& worker)
{
    qCWarning(lcEngine) << "abandoning task" << records[worker.claims[worker.next - 1].slot].id
                        << "which did not stop within" << abandonAfterMs << "ms";
    takeFinished(worker);
    FinishedAttempt current{worker.claims[worker.next - 1], AttemptOutcome::stopped(),
                            worker.startedNs.load(), steadyNs(), worker.context.stopReason()};
    recordTimes(waitTimes, runTimes, current);
    complete(current, worker.index);
    // Its remaining claims go back to the queue.
    worker.claims.erase(worker.claims.begin(),
                        worker.claims.begin() + static_cast<std::ptrdiff_t>(worker.next));
    worker.next = 0;
    for (std::size_t i = worker.claims.size(); i > 0; --i)
        unclaim(worker.claims[i - 1].slot);
    worker.claims.clear();
    ++abandoned;
    --loops;
    releaseWorker(worker);
    allDone.wakeAll();
}

void PoolCore::superviseLocked()
{
    // Ids of finished tasks leave the index here rather than in the workers' hot path; the
    // budget keeps one tick short after a large batch.
    index.trimFront([this](TaskId id, std::uint32_t slot) { return holds(id, slot); }, 65'536);
    const qint64 now = nowMs();
    while (!retrySchedule.empty() && retrySchedule.begin()->first <= now) {
        const std::uint32_t slot = retrySchedule.begin()->second;
        retrySchedule.erase(retrySchedule.begin());
        enqueue(slot, steadyNs());
        addEvent(records[slot]);
    }
    const qint64 steadyNow = steadyMs();
    for (std::size_t i = 0; i < workers.size(); ++i) {
        const std::shared_ptr<WorkerSlot> worker = workers[i];
        if (!worker || worker->phase.load(std::memory_order_acquire) != WorkerSlot::Executing)
            continue;
        // Seen executing, its latest attempt is one it has claimed and not yet reported: it
        // reports under the lock, and turns idle before it takes it.
        const std::uint64_t current = worker->current.load(std::memory_order_acquire);
        const auto slot = static_cast<std::uint32_t>(current >> 32);
        const auto serial = static_cast<std::uint32_t>(current);
        if (slot >= records.size() || slotUses[slot] != SlotUse::Claimed)
            continue;
        if (worker->reportedSerial != serial) {
            worker->reportedSerial = serial;
            const PoolRecord& record = records[slot];
            addEvent(makeEvent(record.id, TaskState::Running, record.attempts + 1, worker->index + 1,
                               worker->startedNs.load(), -1, {}, {}));
        }
        if (worker->stopAskedSerial != serial && worker->context.stopRequested()) {
            worker->context.requestStop(serial, TaskContext::StopReason::Timeout);
            worker->stopAskedSerial = serial;
            worker->stopAskedMs = steadyNow;
        }
        if (worker->stopAskedSerial == serial && steadyNow - worker->stopAskedMs >= abandonAfterMs) {
            int expected = WorkerSlot::Executing;
            if (worker->phase.compare_exchange_strong(expected, WorkerSlot::Abandoned))
                abandon(*worker);
        }
    }
}

void PoolCore::beginShutdownLocked()
{
    shuttingDown = true;
    bumpEpoch();
    for (const auto& [due, slot] : retrySchedule)
        park(records[slot], 0, -1, -1, {});
    retrySchedule.clear();
}

void PoolCore::parkQueueLocked()
{
    while (!queue.empty()) {
        queue.pop();
        ++parked;
    }
}

void PoolCore::stopAllLocked(TaskContext::StopReason reason)
{
    const qint64 steadyNow = steadyMs();
    for (const auto& worker : workers) {
        if (!worker || worker->phase.load() != WorkerSlot::Executing)
            continue;
        const std::uint32_t serial = worker->currentSerial();
        if (worker->context.requestStop(serial, reason)) {
            worker->stopAskedSerial = serial;
            worker->stopAskedMs = steadyNow;
        }
    }
}

void PoolCore::abandonAllLocked()
{
    for (std::size_t i = 0; i < workers.size(); ++i) {
        const std::shared_ptr<WorkerSlot> worker = workers[i];
        int expected = WorkerSlot::Executing;
        if (worker && worker->phase.compare_exchange_strong(expected, WorkerSlot::Abandoned))
            abandon(*worker);
    }
}

void PoolCore::workerMain()
{
    lowerCurrentThreadPriority();
    std::shared_ptr<WorkerSlot> me;
    {
        QMutexLocker lock(&mutex);
        me = acquireWorker();
    }
    std::uint64_t seenEpoch = epoch.load();
    qint64 lastEnd = 0;
    for (;;) {
        if (me->next == me->claims.size() || epoch.load(std::memory_order_relaxed) != seenEpoch) {
            lastEnd = 0; // time spent in the lock is nobody's run time
            {
                const SpinLocker lock(mutex);
                seenEpoch = epoch.load();
                settle(*me);
                if (me->next == me->claims.size()) {
                    if (!canDispatch() || queue.empty()) {
                        --loops;
                        releaseWorker(*me);
                        allDone.wakeAll();
                        if (loops == 0 && lastLoopEnded)
                            lastLoopEnded();
                        return;
                    }
                    claimBatch(*me);
                }
            }
            makeClaims(*me);
            continue;
        }

        const Claim& claim = me->claims[me->next++];
        // One clock read per task: the end of one attempt is the start of the next.
        const qint64 start = lastEnd > 0 ? lastEnd : steadyNs();
        const TaskContext::Clock::time_point startPoint{std::chrono::nanoseconds(start)};
        me->context.begin(claim.serial, claim.attempt,
                          startPoint + std::chrono::milliseconds(claim.timeoutMs));
        me->startedNs.store(start, std::memory_order_relaxed);
        me->current.store(WorkerSlot::attemptWord(claim.slot, claim.serial), std::memory_order_release);
        // The one full fence of a task: a cancel bumps the epoch and then looks at the phase, so
        // either it sees this attempt executing or this worker sees its epoch below.
        me->phase.store(WorkerSlot::Executing, std::memory_order_seq_cst);
        // A cancel, pause or shutdown since we looked may concern this very claim: settle first.
        if (epoch.load() != seenEpoch) {
            int executing = WorkerSlot::Executing;
            if (!me->phase.compare_exchange_strong(executing, WorkerSlot::Idle))
                break;
            --me->next;
            lastEnd = 0;
            continue;
        }

        AttemptOutcome outcome = execute(*claim.kind, *claim.params, me->context);
        // Not before the start: the clock may step back a little when it anchors anew.
        const qint64 end = std::max(start, steadyNs());
        int executing = WorkerSlot::Executing;
        if (!me->phase.compare_exchange_strong(executing, WorkerSlot::Idle))
            break; // abandoned while stuck: the supervisor has settled everything we held
        me->waitTimes.record(
            static_cast<std::uint64_t>(std::max<qint64>(0, start - claim.enqueuedNs) / 1000));
        me->runTimes.record(static_cast<std::uint64_t>((end - start) / 1000));
        if (outcome.status == AttemptOutcome::Status::Succeeded) {
            const auto runMs = static_cast<quint32>(
                std::min<qint64>((end - start) / 1'000'000, std::numeric_limits<quint32>::max()));
            const bool hasOutput = !outcome.output.isEmpty();
            if (me->done.capacity() == 0)
                me->done.reserve(maxBatch);
            me->done.push_back(EventBacklog::Done{claim.id, start, runMs, static_cast<quint16>(claim.attempt),
                                                  static_cast<quint16>((me->index + 1) & 0x7fff), hasOutput});
            me->doneSlots.push_back(WorkerSlot::DoneSlot{claim.slot, claim.paramsIndex});
            if (hasOutput)
                me->doneOutputs.push_back(std::move(outcome.output));
        } else {
            me->finished.push_back(FinishedAttempt{claim, std::move(outcome), start, end,
                                                   me->context.stopReason(), me->done.size()});
        }
        const auto runNs = static_cast<double>(end - start);
        me->averageRunNs = me->averageRunNs <= 0 ? runNs : 0.9 * me->averageRunNs + 0.1 * runNs;
        lastEnd = end;
    }
    QMutexLocker lock(&mutex);
    --abandoned;
    allDone.wakeAll();
}

} // namespace workdeck
