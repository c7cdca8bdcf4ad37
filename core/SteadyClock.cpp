#include "SteadyClock.h"

#include "Logging.h"

#include <QFile>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <utility>

#if defined(__x86_64__) && defined(__linux__)
#include <cpuid.h>
#include <x86intrin.h>
#define WORKDECK_READ_TSC 1
#endif

namespace workdeck {

namespace {

qint64 steadyClockNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

#ifdef WORKDECK_READ_TSC

constexpr qint64 firstRateAfterNs = 10'000'000;
constexpr qint64 anchorEveryNs = 100'000'000;

constexpr qint64 mostApartNs = 100'000;

/// Whether the kernel keeps time with the counter, which it stops doing when it finds the
/// counters of different CPUs apart or unstable (clock_gettime then reads another source).
bool kernelKeepsTimeWithCounter()
{
    QFile source(QStringLiteral("/sys/devices/system/clocksource/clocksource0/current_clocksource"));
    return source.open(QIODevice::ReadOnly) && source.readAll().trimmed() == "tsc";
}

bool invariantCounter()
{
    unsigned eax = 0;
    unsigned ebx = 0;
    unsigned ecx = 0;
    unsigned edx = 0;
    // CPUID 8000_0007h, EDX bit 8: the counter ticks at a constant rate in every power state.
    if (__get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx) == 0 || (edx & (1U << 8)) == 0)
        return false;
    return kernelKeepsTimeWithCounter();
}

/// The scale from counter to steady_clock: an anchor (a steady_clock reading and the counter
/// at that moment) and a rate. Readers take it under a sequence lock, retrying while a writer
/// is at it; writers take turns through a mutex, and a reader that finds it taken goes on with
/// the current scale. Should the counter ever stray from steady_clock, or the kernel stop
/// keeping time with it, readings come from steady_clock from then on.
class Scale {
public:
    const bool trusted = invariantCounter();

    qint64 now()
    {
        const std::uint64_t counter = __rdtsc();
        if (const int mode = m_mode.load(std::memory_order_acquire); mode != Counting)
            return mode == WarmingUp ? warmUp() : steadyClockNs();
        if (counter >= m_nextAnchor.load(std::memory_order_relaxed))
            anchor();
        qint64 anchorNs = 0;
        std::uint64_t anchorCounter = 0;
        double nsPerTick = 0;
        for (;;) {
            const std::uint32_t before = m_sequence.load(std::memory_order_acquire);
            anchorNs = m_anchorNs.load(std::memory_order_relaxed);
            anchorCounter = m_anchorCounter.load(std::memory_order_relaxed);
            nsPerTick = m_nsPerTick.load(std::memory_order_relaxed);
            std::atomic_thread_fence(std::memory_order_acquire);
            if ((before & 1U) == 0 && m_sequence.load(std::memory_order_relaxed) == before)
                break;
        }
        // Signed: another thread may have anchored at a later count than this reading's.
        const auto ticks = static_cast<qint64>(counter - anchorCounter);
        return anchorNs + static_cast<qint64>(static_cast<double>(ticks) * nsPerTick);
    }

    bool counting() const { return m_mode.load(std::memory_order_acquire) == Counting; }

private:
    /// A steady_clock reading and the counter at the same moment, as near as can be: the
    /// closest of a few tries. None if the thread was held up in between (preempted, say)
    /// every time.
    static std::optional<std::pair<qint64, std::uint64_t>> pair()
    {
        // About 30 µs at 3 GHz, more than a reading takes anywhere and less than a time slice.
        constexpr std::uint64_t tightTicks = 100'000;
        std::optional<std::pair<qint64, std::uint64_t>> best;
        std::uint64_t bestWidth = tightTicks;
        for (int attempt = 0; attempt < 4; ++attempt) {
            const std::uint64_t before = __rdtsc();
            const qint64 ns = steadyClockNs();
            const std::uint64_t after = __rdtsc();
            if (after - before < bestWidth) {
                bestWidth = after - before;
                best = std::pair{ns, before + (after - before) / 2};
            }
        }
        return best;
    }

    /// Readings before the first rate is known come from steady_clock.
    qint64 warmUp()
    {
        {
            const std::unique_lock lock(m_writer, std::try_to_lock);
            const auto reading = lock.owns_lock() && m_mode.load(std::memory_order_relaxed) == WarmingUp
                                     ? pair()
                                     : std::nullopt;
            if (reading) {
                const auto [ns, counter] = *reading;
                if (m_lastNs == 0) {
                    m_lastNs = ns;
                    m_lastCounter = counter;
                } else if (ns - m_lastNs >= firstRateAfterNs) {
                    publish(ns, counter);
                }
                return ns;
            }
        }
        return m_mode.load(std::memory_order_acquire) != WarmingUp ? now() : steadyClockNs();
    }

    void anchor()
    {
        const std::unique_lock lock(m_writer, std::try_to_lock);
        if (!lock.owns_lock())
            return; // another thread is anchoring: the current scale serves meanwhile
        const auto reading = pair();
        if (!reading || reading->second < m_nextAnchor.load(std::memory_order_relaxed))
            return;
        const auto [ns, counter] = *reading;
        // What the scale said against what steady_clock says: nanoseconds apart after 100 ms
        // (a millionth of the time since the last anchor, or so), or the counter is not to be
        // trusted.
        const qint64 sinceNs = ns - m_lastNs;
        const auto ticks = static_cast<qint64>(counter - m_anchorCounter.load(std::memory_order_relaxed));
        const qint64 predicted =
            m_anchorNs.load(std::memory_order_relaxed) +
            static_cast<qint64>(static_cast<double>(ticks) * m_nsPerTick.load(std::memory_order_relaxed));
        if (std::abs(predicted - ns) > mostApartNs + sinceNs / 1000 || !kernelKeepsTimeWithCounter()) {
            qCWarning(lcEngine) << "the time-stamp counter strayed" << (predicted - ns) / 1000
                                << "µs from the steady clock; reading the steady clock from now on";
            m_mode.store(GivenUp, std::memory_order_release);
            return;
        }
        publish(ns, counter);
    }

    /// Measures the rate since the last anchor and anchors at (`ns`, `counter`); under m_writer.
    void publish(qint64 ns, std::uint64_t counter)
    {
        const double nsPerTick = static_cast<double>(ns - m_lastNs) /
                                 static_cast<double>(std::max<std::uint64_t>(1, counter - m_lastCounter));
        m_lastNs = ns;
        m_lastCounter = counter;
        const std::uint32_t sequence = m_sequence.load(std::memory_order_relaxed);
        m_sequence.store(sequence + 1, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_release);
        m_anchorNs.store(ns, std::memory_order_relaxed);
        m_anchorCounter.store(counter, std::memory_order_relaxed);
        m_nsPerTick.store(nsPerTick, std::memory_order_relaxed);
        m_sequence.store(sequence + 2, std::memory_order_release);
        m_nextAnchor.store(counter +
                               static_cast<std::uint64_t>(static_cast<double>(anchorEveryNs) / nsPerTick),
                           std::memory_order_relaxed);
        m_mode.store(Counting, std::memory_order_release);
    }

    enum Mode : int { WarmingUp, Counting, GivenUp };
    std::atomic<int> m_mode{WarmingUp};
    std::atomic<std::uint64_t> m_nextAnchor{0};
    std::atomic<std::uint32_t> m_sequence{0};
    std::atomic<qint64> m_anchorNs{0};
    std::atomic<std::uint64_t> m_anchorCounter{0};
    std::atomic<double> m_nsPerTick{0};

    std::mutex m_writer;
    qint64 m_lastNs = 0; ///< the last anchor, which the next rate is measured from
    std::uint64_t m_lastCounter = 0;
};

Scale& scale()
{
    static Scale instance;
    return instance;
}

#endif

} // namespace

qint64 SteadyClock::nowNs()
{
#ifdef WORKDECK_READ_TSC
    Scale& s = scale();
    if (s.trusted)
        return s.now();
#endif
    return steadyClockNs();
}

bool SteadyClock::readsCounter()
{
#ifdef WORKDECK_READ_TSC
    return scale().trusted && scale().counting();
#else
    return false;
#endif
}

bool SteadyClock::counterTrusted()
{
#ifdef WORKDECK_READ_TSC
    return scale().trusted;
#else
    return false;
#endif
}

} // namespace workdeck
