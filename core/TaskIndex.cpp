#include "TaskIndex.h"

#include <algorithm>

namespace workdeck {

namespace {
// How far beyond the window an id may be and still grow it instead of going to the hash.
constexpr std::size_t minimumReach = 4096;
} // namespace

void TaskIndex::insert(TaskId id, std::uint32_t slot)
{
    if (m_window.empty() && m_sparse.isEmpty()) {
        m_base = id;
        m_window.push_back(slot);
        ++m_size;
        return;
    }
    if (!m_sparse.isEmpty() && m_sparse.contains(id)) {
        m_sparse.insert(id, slot);
        return;
    }
    const std::size_t reach = std::max(minimumReach, m_window.size());
    if (inWindow(id)) {
        if (m_window[id - m_base] == None)
            ++m_size;
        m_window[id - m_base] = slot;
        return;
    }
    if (m_window.empty()) {
        m_base = id;
        m_window.push_back(slot);
    } else if (id >= m_base && id - m_base - m_window.size() < reach) {
        m_window.resize(id - m_base, None);
        m_window.push_back(slot);
    } else if (id < m_base && m_base - id < reach) {
        m_window.insert(m_window.begin(), m_base - id - 1, None);
        m_window.push_front(slot);
        m_base = id;
    } else {
        if (!m_sparse.contains(id))
            ++m_size;
        m_sparse.insert(id, slot);
        return;
    }
    ++m_size;
}

void TaskIndex::insertRun(TaskId first, const std::uint32_t* reservedSlots, std::size_t count)
{
    // The common case: ids handed out in order, appended to the window.
    if (count == 0)
        return;
    if (m_window.empty() && m_sparse.isEmpty())
        m_base = first;
    if (m_sparse.isEmpty() && first == m_base + m_window.size()) {
        m_window.insert(m_window.end(), reservedSlots, reservedSlots + count);
        m_size += count;
        return;
    }
    for (std::size_t i = 0; i < count; ++i)
        insert(first + i, reservedSlots[i]);
}

std::uint32_t TaskIndex::find(TaskId id) const
{
    if (inWindow(id) && m_window[id - m_base] != None)
        return m_window[id - m_base];
    if (m_sparse.isEmpty())
        return None;
    return m_sparse.value(id, None);
}

void TaskIndex::remove(TaskId id)
{
    if (inWindow(id) && m_window[id - m_base] != None) {
        m_window[id - m_base] = None;
        --m_size;
        while (!m_window.empty() && m_window.front() == None) {
            m_window.pop_front();
            ++m_base;
        }
        while (!m_window.empty() && m_window.back() == None)
            m_window.pop_back();
        return;
    }
    if (m_sparse.remove(id))
        --m_size;
}

} // namespace workdeck
