#include "TaskStore.h"

#include "Database.h"
#include "Logging.h"
#include "SqliteStatement.h"
#include "UuidGenerator.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QUuid>

#include <sqlite3.h>

namespace workdeck {

namespace {

QByteArray paramsJson(const KindParams& params)
{
    return QJsonDocument(params.toJson()).toJson(QJsonDocument::Compact);
}

} // namespace

TaskStore::TaskStore(Database& db, const KindRegistry& kinds)
    : m_db(db)
    , m_kinds(kinds)
{
}

Result<void> TaskStore::insert(std::vector<TaskSpec>& specs, const std::atomic_bool* cancel)
{
    if (specs.empty())
        return {};
    return m_db.write([&]() -> Result<void> {
        const auto last = m_db.scalar(QStringLiteral("SELECT max(id) FROM task_specs"));
        if (!last)
            return last.error();
        auto statement = SqliteStatement::prepare(
            m_db.handle(),
            "INSERT INTO task_specs(id, uuid, kind, priority, max_retries, timeout_ms, user_id, "
            "params, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!statement)
            return statement.error();
        // The tasks' status rows go in afterwards with one statement over the ids just given
        // (they are consecutive), rather than with a second statement per task.
        auto status = SqliteStatement::prepare(
            m_db.handle(), "INSERT INTO task_status(id, state) SELECT id, 'pending' FROM task_specs "
                           "WHERE id BETWEEN ? AND ?");
        if (!status)
            return status.error();
        auto attempted =
            SqliteStatement::prepare(m_db.handle(), "UPDATE task_status SET attempts = ? WHERE id = ?");
        if (!attempted)
            return attempted.error();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        UuidGenerator uuids;
        TaskId next = static_cast<TaskId>(*last) + 1;
        // A batch shares a few parameter objects among all its tasks: encode each once.
        const KindParams* encoded = nullptr;
        QByteArray json;
        QHash<const KindParams*, QByteArray> encodings;
        QByteArray kindName;
        int kindOfName = -1;
        const auto undo = [&specs] {
            for (TaskSpec& undone : specs)
                undone.id = 0;
        };
        constexpr std::size_t CancelCheckRows = 8192; // a few milliseconds of inserts
        std::size_t row = 0;
        for (TaskSpec& spec : specs) {
            if (cancel && row++ % CancelCheckRows == 0 && cancel->load(std::memory_order_relaxed)) {
                undo();
                return Error{QStringLiteral("importing the batch was cancelled; nothing was imported")};
            }
            spec.id = next++;
            if (spec.params.get() != encoded) {
                encoded = spec.params.get();
                auto known = encodings.constFind(encoded);
                if (known == encodings.constEnd()) {
                    if (encodings.size() >= 4096)
                        encodings.clear(); // all different: nothing to share
                    known = encodings.insert(encoded, paramsJson(*encoded));
                }
                json = *known;
            }
            if (spec.kind != kindOfName) {
                kindOfName = spec.kind;
                kindName = m_kinds.at(spec.kind).name().toUtf8();
            }
            statement->bind(1, static_cast<qint64>(spec.id));
            statement->bindText(2, uuids.next().toByteArray(QUuid::WithoutBraces));
            statement->bindText(3, kindName);
            statement->bind(4, qint64(spec.priority));
            statement->bind(5, qint64(spec.maxRetries));
            statement->bind(6, spec.timeoutMs);
            statement->bind(7, spec.userId.isEmpty() ? QString() : spec.userId);
            statement->bindText(8, json);
            statement->bind(9, now);
            if (auto done = statement->run(); !done) {
                undo();
                return done;
            }
        }
        status->bind(1, static_cast<qint64>(specs.front().id));
        status->bind(2, static_cast<qint64>(specs.back().id));
        if (auto done = status->run(); !done) {
            undo();
            return done;
        }
        for (const TaskSpec& spec : specs) {
            if (spec.attempts == 0)
                continue; // recovered tasks keep the attempts they used
            attempted->bind(1, qint64(spec.attempts));
            attempted->bind(2, static_cast<qint64>(spec.id));
            if (auto done = attempted->run(); !done) {
                undo();
                return done;
            }
        }
        return {};
    });
}

Result<Recovery> TaskStore::recover()
{
    Recovery recovery;
    auto done = m_db.write([&]() -> Result<void> {
        QSqlQuery q = m_db.query();
        if (!q.exec(QStringLiteral(
                "SELECT id FROM task_status WHERE state = 'running' OR state = 'retrying' ORDER BY id")))
            return m_db.problem(q);
        while (q.next())
            recovery.ids.push_back(q.value(0).toULongLong());
        q.prepare(
            QStringLiteral("UPDATE task_status SET state = 'failed', error = 'interrupted', finished_at = ? "
                           "WHERE state = 'running' AND attempts > (SELECT max_retries FROM task_specs s "
                           "WHERE s.id = task_status.id)"));
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!q.exec())
            return m_db.problem(q);
        recovery.failed = q.numRowsAffected();
        if (!q.exec(QStringLiteral(
                "UPDATE task_status SET state = 'pending' WHERE state = 'running' OR state = 'retrying'")))
            return m_db.problem(q);
        recovery.requeued = q.numRowsAffected();
        return {};
    });
    if (!done)
        return done.error();
    if (recovery.total() > 0)
        qCWarning(lcStorage).nospace()
            << "recovered after an interruption: " << recovery.requeued << " task(s) pending again, "
            << recovery.failed << " failed as interrupted";
    return recovery;
}

Result<qint64> TaskStore::loadPending(const Sink& sink, std::size_t chunk)
{
    auto query = SqliteStatement::prepare(m_db.handle(),
                                          "SELECT id, kind, priority, max_retries, timeout_ms, params, "
                                          "attempts, user_id FROM tasks WHERE state = 'pending' ORDER BY id");
    if (!query)
        return query.error();
    return load(*query, sink, chunk);
}

Result<qint64> TaskStore::loadPending(const std::vector<TaskId>& ids, const Sink& sink)
{
    auto query = SqliteStatement::prepare(
        m_db.handle(),
        "SELECT id, kind, priority, max_retries, timeout_ms, params, attempts, user_id FROM tasks "
        "WHERE id IN (SELECT value FROM json_each(?1)) AND state = 'pending' ORDER BY id");
    if (!query)
        return query.error();
    query->bind(1, idList(ids));
    return load(*query, sink, 65'536);
}

QString TaskStore::idList(const std::vector<TaskId>& ids)
{
    QString json;
    json.reserve(static_cast<qsizetype>(ids.size() * 8 + 2));
    json += u'[';
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0)
            json += u',';
        json += QString::number(ids[i]);
    }
    return json + u']';
}

Result<qint64> TaskStore::load(SqliteStatement& rows, const Sink& sink, std::size_t chunk)
{
    SqliteStatement* query = &rows;
    QHash<QString, ParamsPtr> shared; // kind + params text -> object
    std::vector<TaskSpec> specs;
    std::vector<std::pair<qint64, QString>> broken;
    qint64 handed = 0;
    for (;;) {
        const auto row = query->next();
        if (!row)
            return row.error();
        if (*row) {
            TaskSpec spec;
            spec.id = static_cast<TaskId>(query->columnInt(0));
            const QString kindName = query->columnText(1);
            spec.kind = m_kinds.indexOf(kindName);
            spec.priority = static_cast<int>(query->columnInt(2));
            spec.maxRetries = static_cast<int>(query->columnInt(3));
            spec.timeoutMs = query->columnInt(4);
            const QString params = query->columnText(5);
            spec.attempts = static_cast<int>(query->columnInt(6));
            spec.userId = query->columnText(7);
            if (spec.kind < 0) {
                broken.emplace_back(static_cast<qint64>(spec.id), u"kind: unknown kind \"" + kindName + u'"');
                continue;
            }
            const QString key = kindName + QChar(0) + params;
            auto found = shared.constFind(key);
            if (found == shared.constEnd()) {
                QJsonParseError error{};
                const QJsonDocument document = QJsonDocument::fromJson(params.toUtf8(), &error);
                if (!document.isObject()) {
                    broken.emplace_back(static_cast<qint64>(spec.id),
                                        QStringLiteral("params: not a JSON object"));
                    continue;
                }
                auto parsed = m_kinds.at(spec.kind).parseParams(document.object(), spec.priority);
                if (!parsed) {
                    broken.emplace_back(static_cast<qint64>(spec.id), parsed.error().message);
                    continue;
                }
                if (shared.size() > 100'000)
                    shared.clear();
                found = shared.insert(key, *parsed);
            }
            spec.params = *found;
            specs.push_back(std::move(spec));
        }
        if (!specs.empty() && (!*row || specs.size() >= chunk)) {
            handed += static_cast<qint64>(specs.size());
            if (auto taken = sink(std::move(specs)); !taken)
                return taken.error();
            specs = {};
        }
        if (!*row)
            break;
    }
    if (!broken.empty()) {
        auto failed = m_db.write([&]() -> Result<void> {
            QSqlQuery q = m_db.query();
            q.prepare(QStringLiteral("UPDATE task_status SET state = 'failed', finished_at = ?, "
                                     "error = 'cannot be run: ' || ? WHERE id = ?"));
            for (const auto& [id, reason] : broken) {
                q.addBindValue(QDateTime::currentMSecsSinceEpoch());
                q.addBindValue(reason);
                q.addBindValue(id);
                if (!q.exec())
                    return m_db.problem(q);
            }
            return {};
        });
        if (!failed)
            return failed.error();
        qCWarning(lcStorage) << broken.size() << "stored task(s) could not be run and were failed";
    }
    return handed;
}

Result<std::array<qint64, TaskStateCount>> TaskStore::countByState() const
{
    std::array<qint64, TaskStateCount> counts{};
    QSqlQuery q = m_db.query();
    if (!q.exec(QStringLiteral("SELECT state, count(*) FROM task_status GROUP BY state")))
        return m_db.problem(q);
    while (q.next()) {
        if (const auto state = taskStateFromString(q.value(0).toString()))
            counts[static_cast<std::size_t>(*state)] = q.value(1).toLongLong();
    }
    return counts;
}

} // namespace workdeck
