#pragma once

#include <QtGlobal>

#include <cstdint>

namespace workdeck {

/// Capped exponential backoff with full jitter (SPEC S2): before retry n the wait is uniform in
/// [0, min(cap, base * 2^(n-1))].
class Backoff {
public:
    Backoff(qint64 baseMs, qint64 capMs);

    qint64 baseMs() const { return m_baseMs; }
    qint64 capMs() const { return m_capMs; }

    /// The largest wait before retry `retry` (1-based); never overflows.
    qint64 ceilingMs(int retry) const;
    /// Picks the wait from `random`, a uniformly distributed 64-bit value.
    qint64 delayMs(int retry, std::uint64_t random) const;

private:
    qint64 m_baseMs;
    qint64 m_capMs;
};

} // namespace workdeck
