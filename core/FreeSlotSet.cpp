#include "FreeSlotSet.h"

#include <QtGlobal>

namespace workdeck {

void FreeSlotSet::add(std::uint32_t slot)
{
    const std::size_t word = slot / 64;
    if (word >= m_words.size()) {
        m_words.resize(word + 1);
        m_owner.resize(word + 1);
    }
    const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    if ((m_words[word] & bit) == 0) {
        m_words[word] |= bit;
        ++m_count;
        if (m_owner[word] == 0)
            ++m_unowned;
    }
}

void FreeSlotSet::addWord(std::uint32_t first)
{
    Q_ASSERT(first % 64 == 0 && first / 64 >= m_words.size());
    const std::size_t word = first / 64;
    m_words.resize(word + 1);
    m_owner.resize(word + 1);
    m_words[word] = ~std::uint64_t{0};
    m_count += 64;
    m_unowned += 64;
    // Rather than look for it past the words the groups are taking from.
    m_cursor = word;
}

bool FreeSlotSet::start(std::size_t group)
{
    Q_ASSERT(group < Groups);
    if (m_unowned == 0)
        return false;
    while (m_owner[m_cursor] != 0 || m_words[m_cursor] == 0)
        m_cursor = m_cursor + 1 < m_words.size() ? m_cursor + 1 : 0;
    m_open[group] = static_cast<std::uint32_t>(m_cursor + 1);
    m_owner[m_cursor] = static_cast<std::uint16_t>(group + 1);
    m_unowned -= static_cast<std::size_t>(std::popcount(m_words[m_cursor]));
    return true;
}

} // namespace workdeck
