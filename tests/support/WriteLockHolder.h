#pragma once

#include <QString>

namespace workdeck::test {

/// Holds the write lock of an SQLite database from a connection of its own while it lives, as
/// another process writing to the same file would: readers carry on, writers wait for it.
class WriteLockHolder {
public:
    explicit WriteLockHolder(const QString& path);
    ~WriteLockHolder();
    WriteLockHolder(const WriteLockHolder&) = delete;
    WriteLockHolder& operator=(const WriteLockHolder&) = delete;

    /// Whether it got the lock.
    bool holds() const { return m_held; }

private:
    QString m_connection;
    bool m_held = false;
};

} // namespace workdeck::test
