#include "BatchInput.h"

#include <cstring>

namespace workdeck {

BatchInput::BatchInput(QIODevice& device, const std::atomic_bool* cancel, std::function<void(qint64)> onChunk)
    : m_device(device)
    , m_cancel(cancel)
    , m_onChunk(std::move(onChunk))
{
    m_pos = m_end = m_chunkEnd = m_chunk.constData(); // Tell() is 0 before the first read
}

char BatchInput::peekSlow() const
{
    if (m_tooLong || m_notText || m_cancelled || m_readError || m_pos < m_chunkEnd)
        return '\0';
    if (!fill())
        return '\0';
    return Peek();
}

bool BatchInput::fill() const
{
    if (m_eof || m_notText || m_readError)
        return false;
    if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
        m_cancelled = true;
        return false;
    }
    m_offset += m_chunk.size();
    m_chunk.resize(ChunkBytes);
    const qint64 got = m_device.read(m_chunk.data(), ChunkBytes);
    if (got < 0) {
        m_readError = true;
        m_chunk.clear();
    } else {
        m_chunk.resize(got);
    }
    m_pos = m_chunk.constData();
    m_chunkEnd = m_pos + m_chunk.size();
    m_end = m_chunkEnd;
    if (got <= 0) {
        m_eof = true;
        return false;
    }
    if (const void* nul = std::memchr(m_pos, '\0', static_cast<size_t>(got))) {
        m_notText = true;
        m_chunkEnd = m_end = static_cast<const char*>(nul);
    }
    if (m_onChunk)
        m_onChunk(m_offset + got);
    return m_pos < m_end;
}

BatchInput::Stop BatchInput::stop() const
{
    if (Peek() != '\0')
        return Stop::None;
    if (m_pos < m_end)
        return Stop::EndOfLine;
    if (m_cancelled)
        return Stop::Cancelled;
    if (m_tooLong)
        return Stop::TooLong;
    if (m_notText)
        return Stop::NotText;
    if (m_readError)
        return Stop::ReadError;
    return Stop::EndOfInput;
}

void BatchInput::nextLine()
{
    const qint64 lineBefore = m_line;
    const bool lineMode = m_lineMode;
    m_lineMode = false;
    m_tooLong = false;
    m_end = m_chunkEnd;
    while (m_line == lineBefore) {
        if (m_pos < m_end) {
            const char* feed =
                static_cast<const char*>(std::memchr(m_pos, '\n', static_cast<size_t>(m_end - m_pos)));
            if (!feed) {
                m_pos = m_end;
                continue;
            }
            m_pos = feed + 1;
            ++m_line;
        } else if (!fill()) {
            break;
        }
    }
    m_lineMode = lineMode;
    m_limitFrom = consumed();
}

bool BatchInput::skipByteOrderMark()
{
    auto at = [this](int i) -> int {
        // The first chunk holds at least four bytes unless the file is shorter.
        return m_pos + i < m_end ? static_cast<unsigned char>(m_pos[i]) : -1;
    };
    Peek();
    if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) {
        m_pos += 3;
        m_limitFrom = consumed();
        return true;
    }
    const bool utf16 = (at(0) == 0xFF && at(1) == 0xFE) || (at(0) == 0xFE && at(1) == 0xFF);
    return !utf16;
}

} // namespace workdeck
