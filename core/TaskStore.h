#pragma once

#include "KindRegistry.h"
#include "Result.h"
#include "TaskRow.h"
#include "TaskSpec.h"
#include "TaskState.h"

#include <QList>
#include <array>
#include <atomic>
#include <functional>
#include <vector>

namespace workdeck {

class Database;
class SqliteStatement;

/// What crash recovery did at start (SPEC S2).
struct Recovery {
    qint64 requeued = 0;     ///< running or retrying tasks back to pending, attempts kept
    qint64 failed = 0;       ///< running tasks with no attempts left, now failed "interrupted"
    std::vector<TaskId> ids; ///< the tasks it changed, ascending
    qint64 total() const { return requeued + failed; }
};

/// The tasks table: new tasks, crash recovery, the pending work to load at start, and counts.
/// State changes are written by HistoryWriter.
class TaskStore {
public:
    using Sink = std::function<Result<void>(std::vector<TaskSpec>&&)>;

    TaskStore(Database& db, const KindRegistry& kinds);

    /// Stores new pending tasks in one transaction, all or none, and gives each its id.
    /// `cancel` is checked every few thousand rows; when set, nothing is stored.
    Result<void> insert(std::vector<TaskSpec>& specs, const std::atomic_bool* cancel = nullptr);
    /// Running tasks found at start go back to pending, or fail as "interrupted" when their
    /// attempts are used up; retrying ones are pending again.
    Result<Recovery> recover();
    /// Hands every pending task to `sink`, oldest first, in chunks of at most `chunk`. Tasks
    /// equal in kind and parameters share one parameter object. A stored task that can no
    /// longer be run (unknown kind, bad parameters) is failed with the reason. Returns how
    /// many were handed over.
    Result<qint64> loadPending(const Sink& sink, std::size_t chunk = 65'536);
    /// The same for the pending tasks among `ids` (tasks put back in the queue by hand).
    Result<qint64> loadPending(const std::vector<TaskId>& ids, const Sink& sink);
    /// `ids` as a JSON array, for `IN (SELECT value FROM json_each(?))` with one bound value.
    static QString idList(const std::vector<TaskId>& ids);
    Result<std::array<qint64, TaskStateCount>> countByState() const;

private:
    Result<qint64> load(SqliteStatement& rows, const Sink& sink, std::size_t chunk);

    Database& m_db;
    const KindRegistry& m_kinds;
};

} // namespace workdeck
