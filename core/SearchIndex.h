#pragma once

#include "Result.h"
#include "TaskState.h"

#include <atomic>
#include <vector>

namespace workdeck {

class Database;

/// The full-text index of the tasks' parameters, output and error (the `task_search` table).
/// It is kept out of the history writer's path: new tasks are indexed by id range, changed
/// ones when the window hears of them, and whatever another process finished meanwhile by a
/// catch-up at start. Use it on the thread that owns `db`.
class SearchIndex {
public:
    /// The indexed output is its last 16 KiB, where a task's result and errors are.
    static constexpr int IndexedOutputChars = 16 * 1024;
    static constexpr std::size_t Chunk = 10'000;

    explicit SearchIndex(Database& db);

    /// Indexes the tasks stored since the last call. Returns how many.
    Result<qint64> addNew();
    /// Indexes these tasks again (their state, output or error changed); ids no longer stored
    /// leave the index.
    Result<void> refresh(const std::vector<TaskId>& ids);
    /// Refreshes every task that finished since the last catch-up (also those another process
    /// ran), then remembers `nowMs` less a minute as the new starting point. Checks `cancel`
    /// between chunks. Returns how many tasks were refreshed.
    Result<qint64> catchUp(qint64 nowMs, const std::atomic_bool* cancel = nullptr);
    /// Removes tasks from the index; call it in the transaction that deletes them.
    Result<void> remove(const std::vector<TaskId>& ids);

private:
    Database& m_db;
};

} // namespace workdeck
