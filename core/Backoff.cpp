#include "Backoff.h"

#include <algorithm>

namespace workdeck {

Backoff::Backoff(qint64 baseMs, qint64 capMs)
    : m_baseMs(std::max<qint64>(0, baseMs))
    , m_capMs(std::max<qint64>(0, capMs))
{
}

qint64 Backoff::ceilingMs(int retry) const
{
    if (m_baseMs == 0 || m_capMs == 0)
        return 0;
    const int shift = std::clamp(retry - 1, 0, 62);
    // base * 2^shift would overflow long before the cap matters; stop doubling at the cap.
    if (shift >= 62 || m_baseMs > (m_capMs >> shift))
        return m_capMs;
    return std::min(m_capMs, m_baseMs << shift);
}

qint64 Backoff::delayMs(int retry, std::uint64_t random) const
{
    const qint64 ceiling = ceilingMs(retry);
    if (ceiling == 0)
        return 0;
    return static_cast<qint64>(random % (static_cast<std::uint64_t>(ceiling) + 1));
}

} // namespace workdeck
