#include "StatsHistory.h"

#include <algorithm>

namespace workdeck {

StatsHistory::StatsHistory(int capacity)
    : m_ring(static_cast<std::size_t>(std::max(1, capacity)))
{
}

void StatsHistory::append(const StatsSample& sample)
{
    const int cap = capacity();
    if (m_size < cap) {
        m_ring[static_cast<std::size_t>((m_start + m_size) % cap)] = sample;
        ++m_size;
        return;
    }
    m_ring[static_cast<std::size_t>(m_start)] = sample;
    m_start = (m_start + 1) % cap;
}

const StatsSample& StatsHistory::at(int index) const
{
    Q_ASSERT(index >= 0 && index < m_size);
    return m_ring[static_cast<std::size_t>((m_start + index) % capacity())];
}

QList<StatsSample> StatsHistory::last(int count) const
{
    const int n = std::clamp(count, 0, m_size);
    QList<StatsSample> result;
    result.reserve(n);
    for (int i = m_size - n; i < m_size; ++i)
        result.append(at(i));
    return result;
}

} // namespace workdeck
