#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <unordered_map>

namespace workdeck {

/// Pending work by priority: one FIFO array of slot numbers per priority level (0-255, higher
/// first) and a bitmap of the non-empty levels. Push, pop and remove are O(1). The entries are
/// slot numbers of a table the caller owns; a level is contiguous memory, so a worker taking a
/// batch reads it sequentially and can prefetch the records it names.
class PendingQueue {
public:
    static constexpr std::uint32_t None = UINT32_MAX;
    static constexpr int Levels = 256;

    void push(std::uint32_t slot, int priority)
    {
        m_levels[static_cast<std::size_t>(priority)].push_back(slot);
        added(priority);
    }
    /// Puts a slot back at the head of its level, as if it had never left.
    void pushFront(std::uint32_t slot, int priority);
    /// The oldest slot of the highest non-empty priority, removed; None when empty.
    std::uint32_t pop();
    /// Pops up to `max` slots in order into `out`; returns how many.
    std::size_t popMany(std::uint32_t* out, std::size_t max);
    /// Removes a queued slot; `priority` must be the one it was pushed with. The entry stays in
    /// its level as a tombstone that pop skips, so removal never searches.
    void remove(std::uint32_t slot, int priority);

    bool empty() const { return m_size == 0; }
    std::size_t size() const { return m_size; }
    std::uint32_t size(int priority) const { return m_count[static_cast<std::size_t>(priority)]; }
    /// -1 when empty.
    int highestPriority() const;

private:
    static std::uint64_t key(std::uint32_t slot, int priority)
    {
        return (std::uint64_t{slot} << 8) | static_cast<std::uint64_t>(priority);
    }
    /// Takes the head entry of a level, true when it was live rather than a tombstone.
    bool takeHead(int priority, std::uint32_t& slot);
    void added(int priority)
    {
        if (m_count[static_cast<std::size_t>(priority)]++ == 0)
            m_bitmap[static_cast<std::size_t>(priority >> 6)] |= std::uint64_t{1} << (priority & 63);
        ++m_size;
    }
    /// Counts a live entry gone from `priority`; drops the level's tombstones once it is empty.
    void taken(int priority);

    std::array<std::deque<std::uint32_t>, Levels> m_levels;
    std::array<std::uint32_t, Levels> m_count{};
    std::array<std::uint64_t, Levels / 64> m_bitmap{};
    /// Removed entries still in their level, by (slot, level), with how many there are.
    std::unordered_map<std::uint64_t, std::uint32_t> m_tombstones;
    std::size_t m_size = 0;
};

} // namespace workdeck
