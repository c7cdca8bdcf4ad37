#include "TaskBrowser.h"

#include "Database.h"
#include "FtsQuery.h"
#include "TaskStore.h"

#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace workdeck {

namespace {

const QString rowColumns = QStringLiteral(
    "t.id, t.kind, t.state, t.priority, t.attempts, t.max_retries, u.email, t.created_at, t.started_at, "
    "t.finished_at, t.error");

/// The sort key as an SQL expression; a missing time sorts before every real one.
QString keyExpression(TaskSort::Key key)
{
    switch (key) {
    case TaskSort::Id:
        return QStringLiteral("t.id");
    case TaskSort::Priority:
        return QStringLiteral("t.priority");
    case TaskSort::Attempts:
        return QStringLiteral("t.attempts");
    case TaskSort::Started:
        return QStringLiteral("coalesce(t.started_at, -1)");
    case TaskSort::Finished:
        return QStringLiteral("coalesce(t.finished_at, -1)");
    case TaskSort::Duration:
        return QStringLiteral("coalesce(t.finished_at - t.started_at, -1)");
    }
    return QStringLiteral("t.id");
}

/// The conditions of `filter` on the tasks table `t`, with their values bound by bind().
class Conditions {
public:
    explicit Conditions(const TaskFilter& filter)
        : m_filter(filter)
        , m_match(ftsQuery(filter.search))
    {
        if (filter.state)
            m_sql.append(QStringLiteral("t.state = :state"));
        if (!filter.kind.isEmpty())
            m_sql.append(QStringLiteral("t.kind = :kind"));
        // By id: the tasks view is ordered by task_status's ids, which a search of the
        // submitter's index (on task_specs) does not know are the same.
        if (!filter.userId.isEmpty())
            m_sql.append(QStringLiteral("t.id IN (SELECT id FROM task_specs WHERE user_id = :user)"));
        if (!filter.ids.empty())
            m_sql.append(QStringLiteral("t.id IN (SELECT value FROM json_each(:ids))"));
    }

    bool searches() const { return !m_match.isEmpty(); }
    /// " AND …" for each condition, or nothing. The search is not included: callers join it.
    QString andClauses() const
    {
        QString sql;
        for (const QString& condition : m_sql)
            sql += u" AND " + condition;
        return sql;
    }
    void bind(QSqlQuery& q) const
    {
        if (m_filter.state)
            q.bindValue(QStringLiteral(":state"), stateName(*m_filter.state));
        if (!m_filter.kind.isEmpty())
            q.bindValue(QStringLiteral(":kind"), m_filter.kind);
        if (!m_filter.userId.isEmpty())
            q.bindValue(QStringLiteral(":user"), m_filter.userId);
        if (!m_filter.ids.empty())
            q.bindValue(QStringLiteral(":ids"), TaskStore::idList(m_filter.ids));
        if (searches())
            q.bindValue(QStringLiteral(":match"), m_match);
    }

private:
    const TaskFilter& m_filter;
    QString m_match;
    QStringList m_sql;
};

/// FROM clause: with a search, the full-text index drives the query (it yields ids in order,
/// so a newest-first page reads only as many matches as it shows).
QString fromClause(const Conditions& conditions)
{
    QString from = conditions.searches()
                       ? QStringLiteral("task_search JOIN tasks t ON t.id = task_search.rowid ")
                       : QStringLiteral("tasks t ");
    from += u"LEFT JOIN users u ON u.id = t.user_id WHERE 1";
    if (conditions.searches())
        from += u" AND task_search MATCH :match";
    return from + conditions.andClauses();
}

qint64 nullableTime(const QVariant& value)
{
    return value.isNull() ? -1 : value.toLongLong();
}

TaskRow rowFrom(const QSqlQuery& q)
{
    TaskRow row;
    row.id = q.value(0).toULongLong();
    row.kind = q.value(1).toString();
    row.state = taskStateFromString(q.value(2).toString()).value_or(TaskState::Pending);
    row.priority = q.value(3).toInt();
    row.attempts = q.value(4).toInt();
    row.maxRetries = q.value(5).toInt();
    row.userEmail = q.value(6).toString();
    row.createdAtMs = q.value(7).toLongLong();
    row.startedAtMs = nullableTime(q.value(8));
    row.finishedAtMs = nullableTime(q.value(9));
    row.error = q.value(10).toString();
    return row;
}

} // namespace

TaskBrowser::TaskBrowser(Database& db)
    : m_db(db)
{
}

TaskCursor TaskBrowser::cursorAfter(const TaskRow& row, const TaskSort& sort)
{
    const auto time = [](qint64 ms) { return ms < 0 ? -1 : ms; };
    qint64 value = 0;
    switch (sort.key) {
    case TaskSort::Id:
        value = static_cast<qint64>(row.id);
        break;
    case TaskSort::Priority:
        value = row.priority;
        break;
    case TaskSort::Attempts:
        value = row.attempts;
        break;
    case TaskSort::Started:
        value = time(row.startedAtMs);
        break;
    case TaskSort::Finished:
        value = time(row.finishedAtMs);
        break;
    case TaskSort::Duration:
        value = row.startedAtMs < 0 || row.finishedAtMs < 0 ? -1 : row.finishedAtMs - row.startedAtMs;
        break;
    }
    return TaskCursor{value, row.id};
}

Result<QList<TaskRow>> TaskBrowser::page(const TaskFilter& filter, const TaskSort& sort,
                                         const std::optional<TaskCursor>& after, int limit) const
{
    return read(filter, sort, after, std::nullopt, limit);
}

Result<QList<TaskRow>> TaskBrowser::newer(const TaskFilter& filter, TaskId afterId, int limit) const
{
    return read(filter, TaskSort{}, std::nullopt, afterId, limit);
}

Result<QList<TaskRow>> TaskBrowser::read(const TaskFilter& filter, const TaskSort& sort,
                                         const std::optional<TaskCursor>& after, std::optional<TaskId> above,
                                         int limit) const
{
    const Conditions conditions(filter);
    // With a search, ids come from the full-text index in its rowid order, so a newest-first
    // page stops after as many matches as it shows instead of sorting them all.
    const bool byIndexRowid = conditions.searches() && sort.key == TaskSort::Id;
    const QString id = byIndexRowid ? QStringLiteral("task_search.rowid") : QStringLiteral("t.id");
    const QString key = sort.key == TaskSort::Id ? id : keyExpression(sort.key);
    const QString direction = sort.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    QString sql = u"SELECT " + rowColumns + u" FROM " + fromClause(conditions);
    if (above)
        sql += u" AND " + id + u" > :above";
    if (after) {
        const QChar beyond = sort.descending ? u'<' : u'>';
        if (sort.key == TaskSort::Id)
            sql += u" AND " + key + u' ' + beyond + u" :afterId";
        else
            sql += u" AND (" + key + u", t.id) " + beyond + u" (:afterValue, :afterId)";
    }
    sql += u" ORDER BY " + key + direction;
    if (sort.key != TaskSort::Id)
        sql += u", t.id" + direction;
    sql += u" LIMIT :limit";

    QSqlQuery q = m_db.query();
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return m_db.problem(q);
    conditions.bind(q);
    if (above)
        q.bindValue(QStringLiteral(":above"), static_cast<qint64>(*above));
    if (after) {
        q.bindValue(QStringLiteral(":afterId"), static_cast<qint64>(after->id));
        if (sort.key != TaskSort::Id)
            q.bindValue(QStringLiteral(":afterValue"), after->value);
    }
    q.bindValue(QStringLiteral(":limit"), std::clamp(limit, 1, MaxPageSize));
    if (!q.exec())
        return m_db.problem(q);
    QList<TaskRow> rows;
    while (q.next())
        rows.append(rowFrom(q));
    return rows;
}

Result<std::vector<TaskId>> TaskBrowser::ids(const TaskFilter& filter, const QList<TaskState>& states) const
{
    const Conditions conditions(filter);
    QString sql = u"SELECT t.id FROM " + fromClause(conditions);
    QStringList names;
    for (int i = 0; i < states.size(); ++i)
        names.append(u":s" + QString::number(i));
    if (!states.isEmpty())
        sql += u" AND t.state IN (" + names.join(u", ") + u')';
    sql += u" ORDER BY t.id";
    QSqlQuery q = m_db.query();
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return m_db.problem(q);
    conditions.bind(q);
    for (int i = 0; i < states.size(); ++i)
        q.bindValue(names[i], stateName(states[i]));
    if (!q.exec())
        return m_db.problem(q);
    std::vector<TaskId> result;
    while (q.next())
        result.push_back(q.value(0).toULongLong());
    return result;
}

Result<TaskDetail> TaskBrowser::detail(TaskId id) const
{
    QSqlQuery q = m_db.query();
    q.setForwardOnly(true);
    q.prepare(u"SELECT " + rowColumns +
              u", t.uuid, u.name, t.params, t.timeout_ms, t.output FROM tasks t "
              u"LEFT JOIN users u ON u.id = t.user_id WHERE t.id = ?");
    q.addBindValue(static_cast<qint64>(id));
    if (!q.exec())
        return m_db.problem(q);
    if (!q.next())
        return Error{QStringLiteral("task not found"), true};
    TaskDetail detail;
    detail.row = rowFrom(q);
    detail.uuid = q.value(11).toString();
    detail.userName = q.value(12).toString();
    detail.params = q.value(13).toString();
    detail.timeoutMs = q.value(14).toLongLong();
    detail.output = q.value(15).toString();

    QSqlQuery a = m_db.query();
    a.setForwardOnly(true);
    a.prepare(QStringLiteral("SELECT attempt, worker, started_at, finished_at, state, error FROM attempts "
                             "WHERE task_id = ? ORDER BY attempt, id"));
    a.addBindValue(static_cast<qint64>(id));
    if (!a.exec())
        return m_db.problem(a);
    while (a.next()) {
        AttemptRow attempt;
        attempt.attempt = a.value(0).toInt();
        attempt.worker = a.value(1).toInt();
        attempt.startedAtMs = a.value(2).toLongLong();
        attempt.finishedAtMs = a.value(3).toLongLong();
        attempt.state = taskStateFromString(a.value(4).toString()).value_or(TaskState::Failed);
        attempt.error = a.value(5).toString();
        detail.attempts.append(std::move(attempt));
    }
    // The attempt that succeeded is kept in the task row itself.
    const TaskRow& row = detail.row;
    if (row.state == TaskState::Succeeded && row.startedAtMs >= 0 && row.finishedAtMs >= 0)
        detail.attempts.append(
            AttemptRow{row.attempts, 0, row.startedAtMs, row.finishedAtMs, TaskState::Succeeded, {}});
    return detail;
}

} // namespace workdeck
