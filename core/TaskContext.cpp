#include "TaskContext.h"

#include <QDeadlineTimer>

namespace workdeck {

TaskContext::TaskContext(int workerIndex, int attempt, Clock::time_point deadline)
    : m_workerIndex(workerIndex)
    , m_attempt(attempt)
    , m_deadline(deadline) {}

bool TaskContext::stopRequested() const {
    return m_stop.load(std::memory_order_acquire) != 0 || Clock::now() >= m_deadline;
}

bool TaskContext::sleepFor(std::chrono::milliseconds duration) {
    const auto wakeAt = std::min(Clock::now() + duration, m_deadline);
    QMutexLocker lock(&m_mutex);
    while (m_stop.load(std::memory_order_acquire) == 0) {
        const auto now = Clock::now();
        if (now >= wakeAt)
            break;
        m_wake.wait(&m_mutex,
                    QDeadlineTimer(std::chrono::duration_cast<std::chrono::nanoseconds>(wakeAt - now)));
    }
    return !stopRequested();
}

void TaskContext::requestStop(StopReason reason) {
    int expected = 0;
    if (m_stop.compare_exchange_strong(expected, static_cast<int>(reason), std::memory_order_acq_rel)) {
        QMutexLocker lock(&m_mutex);
        m_wake.wakeAll();
    }
}

TaskContext::StopReason TaskContext::stopReason() const {
    const int reason = m_stop.load(std::memory_order_acquire);
    if (reason != 0)
        return static_cast<StopReason>(reason);
    return Clock::now() >= m_deadline ? StopReason::Timeout : StopReason::None;
}

} // namespace workdeck
