#include "OutputTail.h"

namespace workdeck {

OutputTail::OutputTail(qsizetype capacity)
    : m_capacity(capacity)
{
}

void OutputTail::append(QByteArrayView bytes)
{
    if (bytes.size() >= m_capacity) {
        m_dropped += m_buffer.size() + (bytes.size() - m_capacity);
        m_buffer = bytes.last(m_capacity).toByteArray();
        return;
    }
    const qsizetype overflow = m_buffer.size() + bytes.size() - m_capacity;
    if (overflow > 0) {
        m_buffer.remove(0, overflow);
        m_dropped += overflow;
    }
    m_buffer.append(bytes);
}

QByteArray OutputTail::bytes() const
{
    return m_buffer;
}

QString OutputTail::text() const
{
    qsizetype start = 0;
    if (m_dropped > 0) {
        // Skip UTF-8 continuation bytes left over from a character cut at the front.
        while (start < m_buffer.size() && start < 3 &&
               (static_cast<unsigned char>(m_buffer[start]) & 0xC0) == 0x80)
            ++start;
    }
    return QString::fromUtf8(QByteArrayView(m_buffer).sliced(start));
}

} // namespace workdeck
