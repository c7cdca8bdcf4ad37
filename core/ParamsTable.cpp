#include "ParamsTable.h"

namespace workdeck {

std::uint32_t ParamsTable::acquire(const ParamsPtr& params, std::uint64_t count)
{
    if (m_last != UINT32_MAX && m_entries[m_last].params == params) {
        m_entries[m_last].refs += count;
        return m_last;
    }
    std::uint32_t index = 0;
    if (!m_free.empty()) {
        index = m_free.back();
        m_free.pop_back();
    } else {
        index = static_cast<std::uint32_t>(m_entries.size());
        m_entries.emplace_back();
    }
    m_entries[index] = Entry{params, count};
    m_last = index;
    return index;
}

void ParamsTable::release(std::uint32_t index, std::uint64_t count)
{
    Entry& entry = m_entries[index];
    entry.refs -= count;
    if (entry.refs > 0)
        return;
    entry.params.reset();
    m_free.push_back(index);
    if (m_last == index)
        m_last = UINT32_MAX;
}

} // namespace workdeck
