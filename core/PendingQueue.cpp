#include "PendingQueue.h"

#include <algorithm>
#include <bit>

namespace workdeck {

int PendingQueue::highestPriority() const
{
    for (int word = static_cast<int>(m_bitmap.size()) - 1; word >= 0; --word) {
        const std::uint64_t bits = m_bitmap[static_cast<std::size_t>(word)];
        if (bits != 0)
            return word * 64 + 63 - std::countl_zero(bits);
    }
    return -1;
}

void PendingQueue::taken(int priority)
{
    const auto level = static_cast<std::size_t>(priority);
    --m_size;
    if (--m_count[level] != 0)
        return;
    m_bitmap[static_cast<std::size_t>(priority >> 6)] &= ~(std::uint64_t{1} << (priority & 63));
    // Whatever is left in the level is tombstones.
    if (!m_tombstones.empty()) {
        for (const std::uint32_t slot : m_levels[level])
            m_tombstones.erase(key(slot, priority));
    }
    m_levels[level].clear();
}

void PendingQueue::pushFront(std::uint32_t slot, int priority)
{
    m_levels[static_cast<std::size_t>(priority)].push_front(slot);
    added(priority);
}

bool PendingQueue::takeHead(int priority, std::uint32_t& slot)
{
    auto& level = m_levels[static_cast<std::size_t>(priority)];
    slot = level.front();
    level.pop_front();
    if (!m_tombstones.empty()) {
        // A slot has at most one live entry, and its tombstones in the same level come before
        // it: each was made by removing the live entry of its time.
        const auto found = m_tombstones.find(key(slot, priority));
        if (found != m_tombstones.end()) {
            if (--found->second == 0)
                m_tombstones.erase(found);
            return false;
        }
    }
    return true;
}

std::uint32_t PendingQueue::pop()
{
    std::uint32_t slot = None;
    return popMany(&slot, 1) == 1 ? slot : None;
}

std::size_t PendingQueue::popMany(std::uint32_t* out, std::size_t max)
{
    std::size_t count = 0;
    while (count < max) {
        const int priority = highestPriority();
        if (priority < 0)
            break;
        if (m_tombstones.empty()) {
            // Every entry is live: a run from the head of the level at once.
            auto& level = m_levels[static_cast<std::size_t>(priority)];
            const auto run = static_cast<std::ptrdiff_t>(std::min(max - count, level.size()));
            std::copy_n(level.begin(), run, out + count);
            level.erase(level.begin(), level.begin() + run);
            count += static_cast<std::size_t>(run);
            m_size -= static_cast<std::size_t>(run) - 1;
            m_count[static_cast<std::size_t>(priority)] -= static_cast<std::uint32_t>(run) - 1;
            taken(priority); // the last one: clears the level's bit if it is empty now
            continue;
        }
        std::uint32_t slot = None;
        if (!takeHead(priority, slot))
            continue;
        out[count++] = slot;
        taken(priority);
    }
    return count;
}

void PendingQueue::remove(std::uint32_t slot, int priority)
{
    ++m_tombstones[key(slot, priority)];
    taken(priority);
}

} // namespace workdeck
