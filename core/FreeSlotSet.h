#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace workdeck {

/// The free slots of a table, one bit each, handed out by group (the pool's groups are
/// priorities). Each group takes its slots from a word of 64 that it has to itself, in
/// ascending order, so that the records of one group lie together: workers take tasks a
/// priority at a time, and with the slots handed out in the order tasks arrived, a batch of
/// mixed priorities put each task a worker took in a cache line and a page of its own.
class FreeSlotSet {
public:
    static constexpr std::uint32_t None = UINT32_MAX;
    static constexpr std::size_t Groups = 256;

    void add(std::uint32_t slot);
    /// Adds the 64 slots from `first`, a multiple of 64 after every slot added so far (those of
    /// a table grown by a word), and starts the next group to need a word on them.
    void addWord(std::uint32_t first);
    /// A free slot for `group` (< Groups), removed: from the word the group is taking from,
    /// else from the first word at or after the last one a group started on that no group is
    /// taking from, wrapping around. None when there is no such slot: the free slots left in
    /// the words of other groups are theirs.
    std::uint32_t take(std::size_t group)
    {
        std::uint32_t& open = m_open[group];
        if (open == 0 && !start(group))
            return None;
        std::uint64_t& word = m_words[open - 1];
        const auto slot = static_cast<std::uint32_t>((open - 1) * 64 + std::countr_zero(word));
        word &= word - 1;
        --m_count;
        if (word == 0) {
            m_owner[open - 1] = 0; // used up: whatever is freed in it later is anybody's
            open = 0;
        }
        return slot;
    }
    /// Every free slot, the ones in words a group is taking from included.
    std::size_t size() const { return m_count; }
    bool empty() const { return m_count == 0; }

private:
    /// Gives `group` a word of its own to take from; false when none is left.
    bool start(std::size_t group);

    std::vector<std::uint64_t> m_words;
    std::vector<std::uint16_t> m_owner;         ///< the group taking from each word, plus one; 0 for none
    std::array<std::uint32_t, Groups> m_open{}; ///< the word each group takes from, plus one; 0 for none
    std::size_t m_count = 0;
    std::size_t m_unowned = 0; ///< free slots in words no group is taking from
    std::size_t m_cursor = 0;  ///< the word to look at first
};

} // namespace workdeck
