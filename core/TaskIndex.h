#pragma once

#include "TaskState.h"

#include <QHash>

#include <cstdint>
#include <deque>

namespace workdeck {

/// Maps task ids to the pool's slots. Ids come mostly in runs (the pool and the database
/// hand them out in order), so a sliding window indexed by `id - base` holds them at 4 bytes
/// each with no hashing; the few ids far from the window go to a hash table.
///
/// A pool finishing tasks in priority order would touch the window at random places, so it
/// may release an id lazily: the entry stays until trimFront() finds it dead, and until then
/// find() can return its old slot, which the caller checks.
class TaskIndex {
public:
    static constexpr std::uint32_t None = UINT32_MAX;

    void insert(TaskId id, std::uint32_t slot);
    /// Inserts ids `first`, `first` + 1, ... for `count` slots, `reservedSlots`.
    void insertRun(TaskId first, const std::uint32_t* reservedSlots, std::size_t count);
    /// None when the id is not held.
    std::uint32_t find(TaskId id) const;
    bool contains(TaskId id) const { return find(id) != None; }
    void remove(TaskId id);
    /// Lets go of an id without touching its window entry (see the class comment).
    void release(TaskId id)
    {
        if (!m_sparse.isEmpty() && !inWindow(id) && m_sparse.remove(id))
            --m_size;
    }
    /// Drops up to `budget` entries from the front of the window for which `isLive(id, slot)`
    /// is false, stopping at the first live one.
    template <class IsLive> void trimFront(IsLive&& isLive, std::size_t budget)
    {
        while (budget-- > 0 && !m_window.empty()) {
            const std::uint32_t slot = m_window.front();
            if (slot != None) {
                if (isLive(m_base, slot))
                    return;
                --m_size;
            }
            m_window.pop_front();
            ++m_base;
        }
    }
    std::size_t size() const { return m_size; }

private:
    bool inWindow(TaskId id) const { return id >= m_base && id - m_base < m_window.size(); }

    TaskId m_base = 0;
    std::deque<std::uint32_t> m_window;
    QHash<TaskId, std::uint32_t> m_sparse;
    std::size_t m_size = 0;
};

} // namespace workdeck
