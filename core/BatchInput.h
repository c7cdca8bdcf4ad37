#pragma once

#include <QByteArray>
#include <QIODevice>

#include <atomic>
#include <functional>

namespace workdeck {

/// Reads a batch file in fixed chunks and hands it out byte by byte (the input stream
/// concept of RapidJSON's SAX reader, also used by the CSV reader), counting lines and
/// enforcing the limits of SPEC S3 as it goes. It never holds more than one chunk.
///
/// The end of input reads as '\0'. Input also ends early — with the reason kept — at a NUL
/// byte (the file is not text), when a line or record grows past MaxRecordBytes, when
/// cancelled, and, in line mode, at the end of the current line. The length limit counts
/// from the start of the line in line mode, else from the last startRecord().
class BatchInput {
public:
    using Ch = char;
    static constexpr qint64 MaxRecordBytes = 1 << 20;
    static constexpr qint64 ChunkBytes = 256 << 10;

    enum class Stop { None, EndOfLine, EndOfInput, NotText, TooLong, Cancelled, ReadError };

    /// `onChunk` is called after each chunk is read, with the bytes read so far; `cancel`
    /// is checked at the same moments.
    BatchInput(QIODevice& device, const std::atomic_bool* cancel, std::function<void(qint64)> onChunk);

    char Peek() const
    {
        if (m_pos < m_end) [[likely]] {
            const char c = *m_pos;
            return c == '\n' && m_lineMode ? '\0' : c;
        }
        return peekSlow();
    }
    char Take()
    {
        const char c = Peek();
        if (c != '\0')
            advance(c);
        return c;
    }
    size_t Tell() const { return static_cast<size_t>(m_offset + (m_pos - m_chunk.constData())); }

    // RapidJSON's stream concept also names the writing functions; this stream only reads.
    char* PutBegin() { return nullptr; }
    void Put(char) {}
    void Flush() {}
    size_t PutEnd(char*) { return 0; }

    /// The 1-based line of the next byte.
    qint64 line() const { return m_line; }
    /// Why input ended, once Peek() returned '\0'; None while there is more.
    Stop stop() const;
    /// Bytes consumed so far.
    qint64 consumed() const { return static_cast<qint64>(Tell()); }

    /// Line mode (JSON Lines): input ends at each line feed until nextLine().
    void setLineMode(bool on) { m_lineMode = on; }
    /// Past the rest of the current line, and its line feed; the length limit starts again.
    void nextLine();
    /// The length limit counts from here (the start of a record) instead of the start of the line.
    void startRecord() { m_limitFrom = consumed(); }

    /// Skips a UTF-8 byte order mark. Fails when the input starts with a UTF-16 or UTF-32 one.
    bool skipByteOrderMark();

private:
    char peekSlow() const;
    void advance(char c)
    {
        ++m_pos;
        if (c == '\n')
            ++m_line;
        // The line feed that ends a line or row of exactly the limit does not count.
        if (c != '\n' && c != '\r' && consumed() > m_limitFrom + MaxRecordBytes) {
            m_tooLong = true;
            m_end = m_pos; // nothing more is visible until nextLine()
        }
    }
    bool fill() const;

    QIODevice& m_device;
    const std::atomic_bool* m_cancel;
    std::function<void(qint64)> m_onChunk;
    // Refilled from Peek(), which RapidJSON declares const.
    mutable QByteArray m_chunk;
    mutable const char* m_pos = nullptr;
    mutable const char* m_end = nullptr;      ///< the end of what may be read now
    mutable const char* m_chunkEnd = nullptr; ///< the end of what was read, or the first NUL
    mutable qint64 m_offset = 0;
    mutable bool m_eof = false;
    mutable bool m_notText = false;
    mutable bool m_cancelled = false;
    mutable bool m_readError = false;
    bool m_tooLong = false;
    bool m_lineMode = false;
    qint64 m_line = 1;
    qint64 m_limitFrom = 0;
};

} // namespace workdeck
