#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace workdeck {

/// The free slots of a table, one bit each. They are taken in ascending order from where the
/// last one was taken, wrapping around, rather than last freed first: workers free slots in
/// the order they ran their tasks, scattered through the table by priority, and a batch queued
/// into them then writes its records in one sweep instead of one cache miss each.
class FreeSlotSet {
public:
    void add(std::uint32_t slot);
    /// The next free slot at or after the last one taken, removed; the set must not be empty.
    std::uint32_t take();
    /// Takes `count` slots as take() would, one after another, into `out`; the set must hold
    /// that many.
    void takeMany(std::uint32_t* out, std::size_t count);
    bool empty() const { return m_count == 0; }
    std::size_t size() const { return m_count; }

private:
    std::vector<std::uint64_t> m_words;
    std::size_t m_count = 0;
    std::size_t m_cursor = 0; ///< the word to look at first
};

} // namespace workdeck
