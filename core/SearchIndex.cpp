#include "SearchIndex.h"

#include "Database.h"

#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace workdeck {

namespace {

/// Clock skew between processes and commits that land after the scan: tasks that finished up
/// to this long before a catch-up are looked at again by the next one.
constexpr qint64 CatchUpOverlapMs = 60'000;

} // namespace

SearchIndex::SearchIndex(Database& db)
    : m_db(db)
{
}

Result<qint64> SearchIndex::addNew()
{
    qint64 added = 0;
    auto written = m_db.write([&]() -> Result<void> {
        const auto indexed = m_db.scalar(QStringLiteral("SELECT max_task_id FROM search_state"));
        if (!indexed)
            return indexed.error();
        QSqlQuery q = m_db.query();
        // A task above the mark may have been refreshed already: index each one once.
        q.prepare(QStringLiteral("DELETE FROM task_search WHERE rowid > ?"));
        q.addBindValue(*indexed);
        if (!q.exec())
            return m_db.problem(q);
        q.prepare(QStringLiteral("INSERT INTO task_search(rowid, params, output, error) "
                                 "SELECT id, params, substr(output, -?), error FROM tasks WHERE id > ?"));
        q.addBindValue(IndexedOutputChars);
        q.addBindValue(*indexed);
        if (!q.exec())
            return m_db.problem(q);
        added = q.numRowsAffected();
        if (added > 0 &&
            !q.exec(QStringLiteral("UPDATE search_state SET max_task_id = (SELECT max(id) FROM task_specs) "
                                   "WHERE (SELECT max(id) FROM task_specs) > max_task_id")))
            return m_db.problem(q);
        return {};
    });
    if (!written)
        return written.error();
    return added;
}

Result<void> SearchIndex::refresh(const std::vector<TaskId>& ids)
{
    for (std::size_t from = 0; from < ids.size(); from += Chunk) {
        const std::size_t to = std::min(ids.size(), from + Chunk);
        auto written = m_db.write([&]() -> Result<void> {
            const auto indexed = m_db.scalar(QStringLiteral("SELECT max_task_id FROM search_state"));
            if (!indexed)
                return indexed.error();
            QSqlQuery remove = m_db.query();
            remove.prepare(QStringLiteral("DELETE FROM task_search WHERE rowid = ?"));
            QSqlQuery insert = m_db.query();
            insert.prepare(
                QStringLiteral("INSERT INTO task_search(rowid, params, output, error) "
                               "SELECT id, params, substr(output, -?), error FROM tasks WHERE id = ?"));
            for (std::size_t i = from; i < to; ++i) {
                const auto id = static_cast<qint64>(ids[i]);
                // Tasks above the mark are not indexed yet; addNew() takes them whole.
                if (id > *indexed)
                    continue;
                remove.addBindValue(id);
                if (!remove.exec())
                    return m_db.problem(remove);
                insert.addBindValue(IndexedOutputChars);
                insert.addBindValue(id);
                if (!insert.exec())
                    return m_db.problem(insert);
            }
            return {};
        });
        if (!written)
            return written;
    }
    return {};
}

Result<qint64> SearchIndex::catchUp(qint64 nowMs, const std::atomic_bool* cancel)
{
    const auto since = m_db.scalar(QStringLiteral("SELECT finished_since FROM search_state"));
    if (!since)
        return since.error();
    std::vector<TaskId> changed;
    {
        QSqlQuery q = m_db.query();
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT id FROM task_status WHERE finished_at >= ? AND id <= "
                                 "(SELECT max_task_id FROM search_state) ORDER BY id"));
        q.addBindValue(*since);
        if (!q.exec())
            return m_db.problem(q);
        while (q.next())
            changed.push_back(q.value(0).toULongLong());
    }
    for (std::size_t from = 0; from < changed.size(); from += Chunk) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return qint64(from);
        const auto last =
            changed.begin() + static_cast<std::ptrdiff_t>(std::min(changed.size(), from + Chunk));
        if (auto done = refresh({changed.begin() + static_cast<std::ptrdiff_t>(from), last}); !done)
            return done.error();
    }
    auto marked = m_db.write([&]() -> Result<void> {
        QSqlQuery q = m_db.query();
        q.prepare(QStringLiteral("UPDATE search_state SET finished_since = max(finished_since, ?)"));
        q.addBindValue(nowMs - CatchUpOverlapMs);
        if (!q.exec())
            return m_db.problem(q);
        return {};
    });
    if (!marked)
        return marked.error();
    return static_cast<qint64>(changed.size());
}

Result<void> SearchIndex::remove(const std::vector<TaskId>& ids)
{
    QSqlQuery q = m_db.query();
    q.prepare(QStringLiteral("DELETE FROM task_search WHERE rowid = ?"));
    for (const TaskId id : ids) {
        q.addBindValue(static_cast<qint64>(id));
        if (!q.exec())
            return m_db.problem(q);
    }
    return {};
}

} // namespace workdeck
