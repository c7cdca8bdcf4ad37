#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace workdeck {

/// Pending work by priority: one intrusive FIFO per priority level (0-255, higher first) and a
/// bitmap of the non-empty levels. Push, pop and remove are O(1); the entries are slot numbers
/// of a table the caller owns, and the links live in a flat array beside it (8 bytes a slot).
class PendingQueue {
public:
    static constexpr std::uint32_t None = UINT32_MAX;
    static constexpr int Levels = 256;

    void push(std::uint32_t slot, int priority);
    /// Puts a slot back at the head of its level, as if it had never left.
    void pushFront(std::uint32_t slot, int priority);
    /// The oldest slot of the highest non-empty priority, removed; None when empty.
    std::uint32_t pop();
    /// Removes a queued slot; `priority` must be the one it was pushed with.
    void remove(std::uint32_t slot, int priority);

    bool empty() const { return m_size == 0; }
    std::size_t size() const { return m_size; }
    std::uint32_t size(int priority) const { return m_count[static_cast<std::size_t>(priority)]; }
    /// -1 when empty.
    int highestPriority() const;

private:
    struct Link {
        std::uint32_t prev = None;
        std::uint32_t next = None;
    };

    /// The links of `slot`, growing the array to hold it.
    Link& linkOf(std::uint32_t slot);
    /// Counts a slot just linked into `priority`.
    void added(int priority);
    void setBit(int priority);
    void clearBit(int priority);

    std::vector<Link> m_links;
    std::array<std::uint32_t, Levels> m_head = filled();
    std::array<std::uint32_t, Levels> m_tail = filled();
    std::array<std::uint32_t, Levels> m_count{};
    std::array<std::uint64_t, Levels / 64> m_bitmap{};
    std::size_t m_size = 0;

    static constexpr std::array<std::uint32_t, Levels> filled()
    {
        std::array<std::uint32_t, Levels> a{};
        a.fill(None);
        return a;
    }
};

} // namespace workdeck
