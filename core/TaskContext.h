#pragma once

#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <chrono>

namespace workdeck {

/// What a running attempt can ask of the pool: who runs it, and whether it should stop.
/// Built-in kinds poll stopRequested() or wait through sleepFor() so that a timeout, a cancel
/// or a shutdown ends them within a few milliseconds.
class TaskContext {
public:
    using Clock = std::chrono::steady_clock;

    enum class StopReason : int { None, Cancel, Timeout, Shutdown };

    TaskContext(int workerIndex, int attempt, Clock::time_point deadline);
    TaskContext(const TaskContext&) = delete;
    TaskContext& operator=(const TaskContext&) = delete;

    /// 1-based index of the worker running the attempt.
    int workerIndex() const { return m_workerIndex; }
    /// 1-based number of this attempt.
    int attempt() const { return m_attempt; }
    Clock::time_point deadline() const { return m_deadline; }

    /// True once a stop was requested or the deadline has passed.
    bool stopRequested() const;
    /// Sleeps for up to `duration`; returns false early when the attempt must stop.
    bool sleepFor(std::chrono::milliseconds duration);

    /// Asks the attempt to stop; the first reason wins. Safe from any thread.
    void requestStop(StopReason reason);
    /// The reason given to requestStop(), or Timeout if only the deadline has passed.
    StopReason stopReason() const;

private:
    const int m_workerIndex;
    const int m_attempt;
    const Clock::time_point m_deadline;
    std::atomic<int> m_stop{0};
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
};

} // namespace workdeck
