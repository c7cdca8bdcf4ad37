#include "TaskContext.h"

#include <QDeadlineTimer>

namespace workdeck {

namespace {
constexpr std::uint64_t reasonMask = 0b111;
}

TaskContext::TaskContext(int workerIndex)
    : m_workerIndex(workerIndex)
{
}

TaskContext::TaskContext(int workerIndex, int attempt, Clock::time_point deadline)
    : m_workerIndex(workerIndex)
{
    begin(1, attempt, deadline);
}

void TaskContext::begin(std::uint32_t serial, int attempt, Clock::time_point deadline)
{
    m_attempt = attempt;
    m_deadline.store(deadline.time_since_epoch().count(), std::memory_order_relaxed);
    // Release is enough: a stop request finds the new serial through the worker's phase, which
    // is published after this with a full fence (PoolCore::workerMain).
    m_state.store(std::uint64_t{serial} << ReasonBits, std::memory_order_release);
}

TaskContext::Clock::time_point TaskContext::deadline() const
{
    return Clock::time_point(Clock::duration(m_deadline.load(std::memory_order_relaxed)));
}

bool TaskContext::stopRequested() const
{
    return (m_state.load(std::memory_order_acquire) & reasonMask) != 0 || Clock::now() >= deadline();
}

bool TaskContext::sleepFor(std::chrono::milliseconds duration)
{
    const auto wakeAt = std::min(Clock::now() + duration, deadline());
    QMutexLocker lock(&m_mutex);
    while ((m_state.load(std::memory_order_acquire) & reasonMask) == 0) {
        const auto now = Clock::now();
        if (now >= wakeAt)
            break;
        m_wake.wait(&m_mutex,
                    QDeadlineTimer(std::chrono::duration_cast<std::chrono::nanoseconds>(wakeAt - now)));
    }
    return !stopRequested();
}

void TaskContext::requestStop(StopReason reason)
{
    requestStop(static_cast<std::uint32_t>(m_state.load(std::memory_order_acquire) >> ReasonBits), reason);
}

bool TaskContext::requestStop(std::uint32_t serial, StopReason reason)
{
    std::uint64_t expected = std::uint64_t{serial} << ReasonBits;
    const std::uint64_t desired = expected | static_cast<std::uint64_t>(reason);
    if (!m_state.compare_exchange_strong(expected, desired, std::memory_order_acq_rel))
        return false;
    QMutexLocker lock(&m_mutex);
    m_wake.wakeAll();
    return true;
}

TaskContext::StopReason TaskContext::stopReason() const
{
    const auto reason = static_cast<int>(m_state.load(std::memory_order_acquire) & reasonMask);
    if (reason != 0)
        return static_cast<StopReason>(reason);
    return Clock::now() >= deadline() ? StopReason::Timeout : StopReason::None;
}

} // namespace workdeck
