#include "FreeSlotSet.h"

#include <QtGlobal>

#include <bit>

namespace workdeck {

void FreeSlotSet::add(std::uint32_t slot)
{
    const std::size_t word = slot / 64;
    if (word >= m_words.size())
        m_words.resize(word + 1);
    const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    if ((m_words[word] & bit) == 0) {
        m_words[word] |= bit;
        ++m_count;
    }
}

std::uint32_t FreeSlotSet::take()
{
    Q_ASSERT(m_count > 0);
    while (m_words[m_cursor] == 0)
        m_cursor = m_cursor + 1 < m_words.size() ? m_cursor + 1 : 0;
    std::uint64_t& word = m_words[m_cursor];
    const auto slot =
        static_cast<std::uint32_t>(m_cursor * 64 + static_cast<std::size_t>(std::countr_zero(word)));
    word &= word - 1;
    --m_count;
    return slot;
}

void FreeSlotSet::takeMany(std::uint32_t* out, std::size_t count)
{
    Q_ASSERT(count <= m_count);
    m_count -= count;
    while (count > 0) {
        while (m_words[m_cursor] == 0)
            m_cursor = m_cursor + 1 < m_words.size() ? m_cursor + 1 : 0;
        std::uint64_t& word = m_words[m_cursor];
        const auto base = static_cast<std::uint32_t>(m_cursor * 64);
        for (; word != 0 && count > 0; --count) {
            *out++ = base + static_cast<std::uint32_t>(std::countr_zero(word));
            word &= word - 1;
        }
    }
}

} // namespace workdeck
