#pragma once

#include "ConnectionThread.h"
#include "Result.h"
#include "TaskEvent.h"

#include <QList>
#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <memory>

class QThread;

namespace workdeck {

/// Writes the pool's task state changes to the database from a thread of its own, in batches
/// committed every `intervalMs` or `maxBatch` changes, so the pool never waits on the disk
/// (SPEC S6). A batch that cannot be written (disk full, I/O error) is kept and tried again
/// with a growing delay; the problem is reported through lastError() and flush(). The log of
/// committed batches is copied back into the database file by a second thread, so that the
/// writer does not wait for it either.
class HistoryWriter {
public:
    struct Options {
        int intervalMs = 50;
        int maxBatch = 16'384;
        /// Statements run on the writer's connection once it is open (fault injection in tests,
        /// e.g. `PRAGMA max_page_count` to simulate a full disk).
        QByteArray setupSql;
    };

    /// Opens the writer's own connection to `path` (already migrated) in its thread.
    static Result<std::unique_ptr<HistoryWriter>> start(const QString& path, const Options& options);
    static Result<std::unique_ptr<HistoryWriter>> start(const QString& path)
    {
        return start(path, Options{});
    }
    /// Writes what is still queued, then stops.
    ~HistoryWriter();
    HistoryWriter(const HistoryWriter&) = delete;
    HistoryWriter& operator=(const HistoryWriter&) = delete;

    /// Queues state changes; returns at once.
    void post(const QList<TaskEvent>& events);
    /// Waits until everything posted so far is committed; fails if a write failed meanwhile.
    Result<void> flush();
    /// The last write problem, empty once a later batch was committed.
    QString lastError() const;
    /// Changes posted since start.
    qint64 posted() const;
    /// Changes committed since start; the changes posted first are committed first.
    qint64 committed() const;

private:
    explicit HistoryWriter(const Options& options);
    void run(const QString& path);

    const Options m_options;
    mutable QMutex m_mutex;
    QWaitCondition m_wake;     ///< something to do, or stop
    QWaitCondition m_progress; ///< a batch was committed or failed, or the thread started
    QList<TaskEvent> m_queue;
    qint64 m_posted = 0;
    qint64 m_committed = 0;
    qint64 m_failures = 0;
    int m_flushWaiters = 0;
    QString m_error;
    bool m_stopping = false;
    ConnectionThread m_thread;
};

} // namespace workdeck
