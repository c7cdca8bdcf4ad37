#include "PendingQueue.h"

#include <bit>

namespace workdeck {

void PendingQueue::setBit(int priority)
{
    m_bitmap[static_cast<std::size_t>(priority >> 6)] |= std::uint64_t{1} << (priority & 63);
}

void PendingQueue::clearBit(int priority)
{
    m_bitmap[static_cast<std::size_t>(priority >> 6)] &= ~(std::uint64_t{1} << (priority & 63));
}

int PendingQueue::highestPriority() const
{
    for (int word = static_cast<int>(m_bitmap.size()) - 1; word >= 0; --word) {
        const std::uint64_t bits = m_bitmap[static_cast<std::size_t>(word)];
        if (bits != 0)
            return word * 64 + 63 - std::countl_zero(bits);
    }
    return -1;
}

PendingQueue::Link& PendingQueue::linkOf(std::uint32_t slot)
{
    if (slot >= m_links.size())
        m_links.resize(std::max<std::size_t>(slot + 1, m_links.size() + m_links.size() / 2));
    return m_links[slot];
}

void PendingQueue::added(int priority)
{
    if (m_count[static_cast<std::size_t>(priority)]++ == 0)
        setBit(priority);
    ++m_size;
}

void PendingQueue::push(std::uint32_t slot, int priority)
{
    const auto level = static_cast<std::size_t>(priority);
    Link& link = linkOf(slot);
    link.prev = m_tail[level];
    link.next = None;
    if (m_tail[level] == None)
        m_head[level] = slot;
    else
        m_links[m_tail[level]].next = slot;
    m_tail[level] = slot;
    added(priority);
}

void PendingQueue::pushFront(std::uint32_t slot, int priority)
{
    const auto level = static_cast<std::size_t>(priority);
    Link& link = linkOf(slot);
    link.prev = None;
    link.next = m_head[level];
    if (m_head[level] == None)
        m_tail[level] = slot;
    else
        m_links[m_head[level]].prev = slot;
    m_head[level] = slot;
    added(priority);
}

std::uint32_t PendingQueue::pop()
{
    const int priority = highestPriority();
    if (priority < 0)
        return None;
    const std::uint32_t slot = m_head[static_cast<std::size_t>(priority)];
    remove(slot, priority);
    return slot;
}

void PendingQueue::remove(std::uint32_t slot, int priority)
{
    const auto level = static_cast<std::size_t>(priority);
    const Link link = m_links[slot];
    if (link.prev == None)
        m_head[level] = link.next;
    else
        m_links[link.prev].next = link.next;
    if (link.next == None)
        m_tail[level] = link.prev;
    else
        m_links[link.next].prev = link.prev;
    m_links[slot] = Link{};
    if (--m_count[level] == 0)
        clearBit(priority);
    --m_size;
}

} // namespace workdeck
