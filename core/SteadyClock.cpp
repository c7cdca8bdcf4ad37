#include "SteadyClock.h"

#include <QFile>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
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

bool invariantCounter()
{
    unsigned eax = 0;
    unsigned ebx = 0;
    unsigned ecx = 0;
    unsigned edx = 0;
    // CPUID 8000_0007h, EDX bit 8: the counter ticks at a constant rate in every power state.
    if (__get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx) == 0 || (edx & (1U << 8)) == 0)
        return false;
    // And the kernel trusts it too: it keeps time with it, which it stops doing when it finds
    // the counters of different CPUs apart or unstable.
    QFile source(QStringLiteral("/sys/devices/system/clocksource/clocksource0/current_clocksource"));
    return source.open(QIODevice::ReadOnly) && source.readAll().trimmed() == "tsc";
}

/// The scale from counter to steady_clock: an anchor (a steady_clock reading and the counter
/// at that moment) and a rate. Readers take it under a sequence lock, retrying while a writer
/// is at it; writers take turns through a mutex, and a reader that finds it taken goes on with
/// the current scale.
class Scale {
public:
    const bool trusted = invariantCounter();

    qint64 now()
    {
        const std::uint64_t counter = __rdtsc();
        if (!m_ready.load(std::memory_order_acquire))
            return warmUp();
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

    bool ready() const { return m_ready.load(std::memory_order_acquire); }

private:
    /// A steady_clock reading and the counter at the same moment, as near as can be; none if
    /// the thread was held up in between (preempted, say) every time it tried.
    static std::optional<std::pair<qint64, std::uint64_t>> pair()
    {
        // About 30 µs at 3 GHz, more than a reading takes anywhere and less than a time slice.
        constexpr std::uint64_t tightTicks = 100'000;
        for (int attempt = 0; attempt < 4; ++attempt) {
            const std::uint64_t before = __rdtsc();
            const qint64 ns = steadyClockNs();
            const std::uint64_t after = __rdtsc();
            if (after - before < tightTicks)
                return std::pair{ns, before + (after - before) / 2};
        }
        return std::nullopt;
    }

    /// Readings before the first rate is known come from steady_clock.
    qint64 warmUp()
    {
        {
            const std::unique_lock lock(m_writer, std::try_to_lock);
            const auto reading = lock.owns_lock() && !m_ready.load(std::memory_order_relaxed) ? pair() : std::nullopt;
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
        return ready() ? now() : steadyClockNs();
    }

    void anchor()
    {
        const std::unique_lock lock(m_writer, std::try_to_lock);
        if (!lock.owns_lock())
            return; // another thread is anchoring: the current scale serves meanwhile
        const auto reading = pair();
        if (reading && reading->second >= m_nextAnchor.load(std::memory_order_relaxed))
            publish(reading->first, reading->second);
    }

    /// Measures the rate since the last anchor and anchors at (`ns`, `counter`); under m_writer.
    void publish(qint64 ns, std::uint64_t counter)
    {
        const double nsPerTick =
            static_cast<double>(ns - m_lastNs) / static_cast<double>(std::max<std::uint64_t>(1, counter - m_lastCounter));
        m_lastNs = ns;
        m_lastCounter = counter;
        const std::uint32_t sequence = m_sequence.load(std::memory_order_relaxed);
        m_sequence.store(sequence + 1, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_release);
        m_anchorNs.store(ns, std::memory_order_relaxed);
        m_anchorCounter.store(counter, std::memory_order_relaxed);
        m_nsPerTick.store(nsPerTick, std::memory_order_relaxed);
        m_sequence.store(sequence + 2, std::memory_order_release);
        m_nextAnchor.store(counter + static_cast<std::uint64_t>(static_cast<double>(anchorEveryNs) / nsPerTick),
                           std::memory_order_relaxed);
        m_ready.store(true, std::memory_order_release);
    }

    std::atomic<bool> m_ready{false};
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
    return scale().trusted && scale().ready();
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
