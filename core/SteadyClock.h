#pragma once

#include <QtGlobal>

namespace workdeck {

/// Nanoseconds on std::chrono::steady_clock's scale, read cheaply enough for a worker to take
/// one reading per task.
///
/// Where the kernel itself keeps time with the CPU's time-stamp counter (x86-64 Linux with an
/// invariant TSC and the `tsc` clock source), the counter is read directly, about 10 ns against
/// the 25 ns of clock_gettime on a virtual machine, and scaled by a rate measured against
/// steady_clock. The rate is measured again, and the scale anchored to steady_clock anew,
/// every 100 ms of readings, so that the two clocks stay within a few microseconds of each
/// other. A reading taken just after a new anchor may therefore come out a few nanoseconds or
/// microseconds before one taken just before it: callers measuring durations clamp them at 0.
///
/// Until the first rate is measured (the first 10 ms after the first reading), wherever the
/// counter cannot be trusted, and for good once an anchoring finds the counter strayed from
/// steady_clock or the kernel no longer keeping time with it, it reads steady_clock.
class SteadyClock {
public:
    static qint64 nowNs();
    static qint64 nowMs() { return nowNs() / 1'000'000; }
    /// True once readings come from the time-stamp counter.
    static bool readsCounter();
    /// Whether this machine's counter can be read in place of steady_clock.
    static bool counterTrusted();
};

} // namespace workdeck
