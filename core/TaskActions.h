#pragma once

#include "Result.h"
#include "TaskState.h"

#include <vector>

namespace workdeck {

class Workspace;

/// What a person can do to many tasks at once from the Tasks view (SPEC S4): cancel, retry and
/// delete. Each acts on the tasks among the ids that are in a state it applies to and skips
/// the rest, so "all matching the filter" is simply every id the filter matches.
class TaskActions {
public:
    explicit TaskActions(Workspace& workspace);

    /// Cancels the pending, retrying and running tasks among `ids`. Returns how many.
    qint64 cancel(const std::vector<TaskId>& ids);
    /// Puts the failed and cancelled tasks among `ids` back in the queue with their attempts
    /// reset, whether this session ran them or an earlier one did. Returns how many.
    Result<qint64> retry(const std::vector<TaskId>& ids);
    /// Deletes the finished (succeeded, failed, cancelled) tasks among `ids`, with their
    /// attempts, in one transaction. Returns how many.
    Result<qint64> remove(const std::vector<TaskId>& ids);

    /// Writes every change the pool has made so far, so the database is current (before
    /// reading which tasks an action on "all matching" applies to).
    Result<void> settle();

private:
    Workspace& m_workspace;
};

} // namespace workdeck
