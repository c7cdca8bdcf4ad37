#include "TaskActions.h"

#include "Database.h"
#include "SearchIndex.h"
#include "Workspace.h"

#include <QSqlQuery>
#include <QVariant>

namespace workdeck {

TaskActions::TaskActions(Workspace& workspace)
    : m_workspace(workspace)
{
}

Result<void> TaskActions::settle()
{
    m_workspace.pool().flushEvents();
    return m_workspace.writer().flush();
}

qint64 TaskActions::cancel(const std::vector<TaskId>& ids)
{
    qint64 cancelled = 0;
    for (const TaskId id : ids) {
        if (m_workspace.pool().cancel(id))
            ++cancelled;
    }
    return cancelled;
}

Result<qint64> TaskActions::retry(const std::vector<TaskId>& ids)
{
    WorkerPool& pool = m_workspace.pool();
    qint64 retried = 0;
    std::vector<TaskId> stored; // finished before this pool held them, or no longer held
    for (const TaskId id : ids) {
        if (pool.requeue(id))
            ++retried;
        else if (!pool.state(id))
            stored.push_back(id);
    }
    if (stored.empty())
        return retried;
    // The pool's last changes must be in the database before it is edited behind the writer.
    if (auto settled = settle(); !settled)
        return settled.error();
    Database& db = m_workspace.database();
    auto reset = db.write([&]() -> Result<void> {
        QSqlQuery q = db.query();
        q.prepare(QStringLiteral("UPDATE task_status SET state = 'pending', attempts = 0, started_at = NULL, "
                                 "finished_at = NULL, output = NULL, error = NULL "
                                 "WHERE id IN (SELECT value FROM json_each(?)) "
                                 "AND (state = 'failed' OR state = 'cancelled')"));
        q.addBindValue(TaskStore::idList(stored));
        if (!q.exec())
            return db.problem(q);
        return {};
    });
    if (!reset)
        return reset.error();
    auto loaded =
        m_workspace.tasks().loadPending(stored, [&pool](std::vector<TaskSpec>&& specs) -> Result<void> {
            auto submitted = pool.submitBatch(std::move(specs));
            if (!submitted)
                return submitted.error();
            return {};
        });
    if (!loaded)
        return loaded.error();
    return retried + *loaded;
}

Result<qint64> TaskActions::remove(const std::vector<TaskId>& ids)
{
    if (ids.empty())
        return qint64(0);
    // A finished task gets no more changes, so once the writer has caught up nothing will
    // write to a deleted one.
    if (auto settled = settle(); !settled)
        return settled.error();
    Database& db = m_workspace.database();
    qint64 removed = 0;
    auto deleted = db.write([&]() -> Result<void> {
        QSqlQuery q = db.query();
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "DELETE FROM task_specs WHERE id IN (SELECT id FROM task_status WHERE id IN "
            "(SELECT value FROM json_each(?)) "
            "AND (state = 'succeeded' OR state = 'failed' OR state = 'cancelled')) RETURNING id"));
        q.addBindValue(TaskStore::idList(ids));
        if (!q.exec())
            return db.problem(q);
        std::vector<TaskId> gone;
        while (q.next())
            gone.push_back(q.value(0).toULongLong());
        q.finish();
        removed = static_cast<qint64>(gone.size());
        return SearchIndex(db).remove(gone);
    });
    if (!deleted)
        return deleted.error();
    return removed;
}

} // namespace workdeck
