#pragma once

#include <QByteArray>
#include <QString>

namespace workdeck {

/// Keeps the last `capacity` bytes of a stream of output, however much is appended.
class OutputTail {
public:
    static constexpr qsizetype DefaultCapacity = 64 * 1024;

    explicit OutputTail(qsizetype capacity = DefaultCapacity);

    void append(QByteArrayView bytes);
    /// Bytes dropped from the front so far.
    qint64 droppedBytes() const { return m_dropped; }
    QByteArray bytes() const;
    /// The kept bytes as text; a UTF-8 sequence cut at the front is dropped, not shown as garbage.
    QString text() const;

private:
    QByteArray m_buffer;
    qsizetype m_capacity;
    qint64 m_dropped = 0;
};

} // namespace workdeck
