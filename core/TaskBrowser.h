#pragma once

#include "Result.h"
#include "TaskDetail.h"
#include "TaskFilter.h"
#include "TaskRow.h"

#include <QList>

#include <optional>
#include <vector>

namespace workdeck {

class Database;

/// Reads the task history for the Tasks view, exports and bulk actions: filtered, sorted pages
/// by keyset (never OFFSET), the tasks newer than a given one, and one task in detail. Every
/// value is bound. Reads only; use it on the thread that owns `db`.
class TaskBrowser {
public:
    static constexpr int MaxPageSize = 10'000;

    explicit TaskBrowser(Database& db);

    /// Up to `limit` tasks matching `filter` in `sort` order, starting after `after`.
    Result<QList<TaskRow>> page(const TaskFilter& filter, const TaskSort& sort,
                                const std::optional<TaskCursor>& after, int limit) const;
    /// Up to `limit` tasks matching `filter` with an id above `afterId`, newest first: what was
    /// added since a newest-first list was read.
    Result<QList<TaskRow>> newer(const TaskFilter& filter, TaskId afterId, int limit) const;
    /// The cursor that continues after `row` in `sort` order.
    static TaskCursor cursorAfter(const TaskRow& row, const TaskSort& sort);
    /// The ids of the tasks matching `filter` that are in one of `states`, ascending.
    Result<std::vector<TaskId>> ids(const TaskFilter& filter, const QList<TaskState>& states) const;
    /// "task not found" when there is no such task.
    Result<TaskDetail> detail(TaskId id) const;

private:
    /// A page in `sort` order after `after`, of the tasks with an id above `above` when given.
    Result<QList<TaskRow>> read(const TaskFilter& filter, const TaskSort& sort,
                                const std::optional<TaskCursor>& after, std::optional<TaskId> above,
                                int limit) const;

    Database& m_db;
};

} // namespace workdeck
