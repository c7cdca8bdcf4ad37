#pragma once

#include "ConnectionThread.h"
#include "Result.h"
#include "TaskEvent.h"

#include <QList>
#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace workdeck {

/// Keeps the search index current from a thread and connection of its own (see SearchIndex):
/// at start it catches up with what changed while no window was open, then indexes new tasks
/// and the tasks whose changes it is told about, a batch at a time. Search results therefore
/// trail the history by a fraction of a second.
class SearchIndexer {
public:
    /// Gathers changes this long before indexing them, so that a busy pool makes few batches.
    static constexpr int BatchDelayMs = 250;

    /// Opens its own connection to `path` (already migrated) and starts catching up.
    static Result<std::unique_ptr<SearchIndexer>> start(const QString& path);
    /// Stops after the batch in hand; what is left is found by the next catch-up.
    ~SearchIndexer();
    SearchIndexer(const SearchIndexer&) = delete;
    SearchIndexer& operator=(const SearchIndexer&) = delete;

    /// State changes from the pool: finished, failed and requeued tasks are indexed again.
    void post(const QList<TaskEvent>& events);
    /// New tasks were stored.
    void postAdded();
    /// Waits until the catch-up and everything posted so far are indexed; the last problem if
    /// one happened meanwhile.
    Result<void> flush();

private:
    SearchIndexer() = default;
    void run(const QString& path);

    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    QWaitCondition m_progress;
    std::vector<TaskId> m_changed;
    bool m_added = true; ///< look for new tasks (also at start)
    qint64 m_posted = 1; ///< the first look for new tasks, at start
    qint64 m_done = 0;
    int m_flushWaiters = 0;
    QString m_error;
    bool m_caughtUp = false;
    std::atomic_bool m_stopping{false};
    ConnectionThread m_thread;
};

} // namespace workdeck
