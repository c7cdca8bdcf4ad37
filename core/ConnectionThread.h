#pragma once

#include "Result.h"

#include <QMutex>
#include <QString>
#include <QThread>
#include <QWaitCondition>

#include <functional>
#include <memory>

namespace workdeck {

/// The thread of a background service that works on a database connection of its own (the
/// history writer, its checkpointer, the search indexer). start() returns once the thread has
/// said, with opened(), whether it could open its connection; if it could not, the thread has
/// ended and start() returns why.
class ConnectionThread {
public:
    ConnectionThread() = default;
    ConnectionThread(const ConnectionThread&) = delete;
    ConnectionThread& operator=(const ConnectionThread&) = delete;

    Result<void> start(const QString& name, QThread::Priority priority, std::function<void()> body);
    /// Called once by the thread's body: its connection is open (`error` empty) or could not be.
    void opened(const QString& error = {});
    /// Waits for the thread to end.
    void wait();
    bool finished() const { return m_thread && m_thread->isFinished(); }

private:
    std::unique_ptr<QThread> m_thread;
    QMutex m_mutex;
    QWaitCondition m_said;
    bool m_opened = false;
    QString m_error;
};

} // namespace workdeck
