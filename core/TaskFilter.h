#pragma once

#include "TaskState.h"

#include <QString>

#include <optional>
#include <vector>

namespace workdeck {

/// Which tasks a view, an export or an action on "all matching" is about. Empty fields match
/// every task.
struct TaskFilter {
    std::optional<TaskState> state;
    QString kind;
    QString userId;
    /// Words matched as prefixes in the parameters, the output and the error (full-text search).
    QString search;
    /// When not empty, only these tasks (e.g. the ones recovered after a crash).
    std::vector<TaskId> ids;

    bool operator==(const TaskFilter&) const = default;
};

/// The order of a task list. Every order ends with the id, so that it is total and a page can
/// start right after the last row of the previous one (keyset paging).
struct TaskSort {
    enum Key { Id, Priority, Attempts, Started, Finished, Duration };
    Key key = Id;
    bool descending = true;

    bool operator==(const TaskSort&) const = default;
};

/// Where a page ended: the sort key's value and the id of its last row.
struct TaskCursor {
    qint64 value = 0;
    TaskId id = 0;
};

} // namespace workdeck
