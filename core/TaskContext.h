#pragma once

#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace workdeck {

/// What a running attempt can ask of the pool: who runs it, and whether it should stop.
/// Built-in kinds poll stopRequested() or wait through sleepFor() so that a timeout, a cancel
/// or a shutdown ends them within a few milliseconds.
///
/// A worker reuses one context for all its attempts; each attempt has a serial number so that a
/// stop request meant for one attempt can never stop the next.
class TaskContext {
public:
    using Clock = std::chrono::steady_clock;

    enum class StopReason : int { None, Cancel, Timeout, Shutdown };

    explicit TaskContext(int workerIndex);
    /// A context already running attempt `attempt` (serial 1), for running a kind directly.
    TaskContext(int workerIndex, int attempt, Clock::time_point deadline);
    TaskContext(const TaskContext&) = delete;
    TaskContext& operator=(const TaskContext&) = delete;

    /// Starts a new attempt. Called by the worker that owns the context.
    void begin(std::uint32_t serial, int attempt, Clock::time_point deadline);

    /// 1-based index of the worker running the attempt.
    int workerIndex() const { return m_workerIndex; }
    /// 1-based number of this attempt.
    int attempt() const { return m_attempt; }
    Clock::time_point deadline() const;

    /// True once a stop was requested or the deadline has passed.
    bool stopRequested() const;
    /// Sleeps for up to `duration`; returns false early when the attempt must stop.
    bool sleepFor(std::chrono::milliseconds duration);

    /// Asks the current attempt to stop; the first reason wins. Safe from any thread.
    void requestStop(StopReason reason);
    /// Asks attempt `serial` to stop; does nothing if another attempt is running by now.
    bool requestStop(std::uint32_t serial, StopReason reason);
    /// The reason given to requestStop(), or Timeout if only the deadline has passed.
    StopReason stopReason() const;

private:
    static constexpr int ReasonBits = 3;

    const int m_workerIndex;
    int m_attempt = 0;
    std::atomic<Clock::rep> m_deadline{0};
    std::atomic<std::uint64_t> m_state{0}; ///< serial << ReasonBits | StopReason
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
};

} // namespace workdeck
