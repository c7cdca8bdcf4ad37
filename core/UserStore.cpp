#include "UserStore.h"

#include "Database.h"
#include "FtsQuery.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <sqlite3.h>

namespace workdeck {

namespace {

const QString notFound = QStringLiteral("user not found");
const Error duplicateEmail{QStringLiteral("email: another user already has this e-mail address"), true};
const QString columns = QStringLiteral("id, email, name, created_at");

User userFrom(const QSqlQuery& q)
{
    return User{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()};
}

} // namespace

UserStore::UserStore(Database& db)
    : m_db(db)
{
}

Error UserStore::duplicateOr(const QSqlQuery& failed) const
{
    // Another connection may have added the address between the check and the write.
    if (failed.lastError().nativeErrorCode() == QString::number(SQLITE_CONSTRAINT_UNIQUE))
        return duplicateEmail;
    return m_db.problem(failed);
}

Result<void> UserStore::checkEmailFree(const QString& email, const QString& exceptId) const
{
    QSqlQuery q = m_db.query();
    q.prepare(QStringLiteral("SELECT 1 FROM users WHERE email = ? COLLATE NOCASE AND deleted_at IS NULL "
                             "AND id IS NOT ?"));
    q.addBindValue(email);
    q.addBindValue(exceptId);
    if (!q.exec())
        return m_db.problem(q);
    if (q.next())
        return duplicateEmail;
    return {};
}

Result<User> UserStore::create(const UserInput& input)
{
    const auto valid = UserValidator::validate(input);
    if (!valid)
        return Error{valid.error().message, true};
    User user{QUuid::createUuid().toString(QUuid::WithoutBraces), valid->email, valid->name,
              m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch()};
    auto written = m_db.write([&]() -> Result<void> {
        if (auto free = checkEmailFree(user.email, QString()); !free)
            return free;
        QSqlQuery q = m_db.query();
        q.prepare(QStringLiteral("INSERT INTO users(id, email, name, created_at) VALUES (?, ?, ?, ?)"));
        q.addBindValue(user.id);
        q.addBindValue(user.email);
        q.addBindValue(user.name);
        q.addBindValue(user.createdAtMs);
        if (!q.exec())
            return duplicateOr(q);
        return {};
    });
    if (!written)
        return written.error();
    return user;
}

Result<User> UserStore::get(const QString& id) const
{
    QSqlQuery q = m_db.query();
    q.prepare(u"SELECT " + columns + u" FROM users WHERE id = ? AND deleted_at IS NULL");
    q.addBindValue(id);
    if (!q.exec())
        return m_db.problem(q);
    if (!q.next())
        return Error{notFound, true};
    return userFrom(q);
}

Result<User> UserStore::findByEmail(const QString& email) const
{
    QSqlQuery q = m_db.query();
    q.prepare(u"SELECT " + columns + u" FROM users WHERE email = ? COLLATE NOCASE AND deleted_at IS NULL");
    q.addBindValue(email.trimmed());
    if (!q.exec())
        return m_db.problem(q);
    if (!q.next())
        return Error{u"no user has the e-mail address " + email.trimmed(), true};
    return userFrom(q);
}

Result<User> UserStore::update(const QString& id, const UserInput& input)
{
    const auto valid = UserValidator::validate(input);
    if (!valid)
        return Error{valid.error().message, true};
    User user;
    auto written = m_db.write([&]() -> Result<void> {
        auto existing = get(id);
        if (!existing)
            return existing.error();
        if (auto free = checkEmailFree(valid->email, id); !free)
            return free;
        QSqlQuery q = m_db.query();
        q.prepare(QStringLiteral("UPDATE users SET email = ?, name = ? WHERE id = ?"));
        q.addBindValue(valid->email);
        q.addBindValue(valid->name);
        q.addBindValue(id);
        if (!q.exec())
            return duplicateOr(q);
        user = *existing;
        user.email = valid->email;
        user.name = valid->name;
        return {};
    });
    if (!written)
        return written.error();
    return user;
}

Result<QHash<QString, std::array<qint64, TaskStateCount>>>
UserStore::taskCounts(const QStringList& userIds) const
{
    QHash<QString, std::array<qint64, TaskStateCount>> counts;
    if (userIds.isEmpty())
        return counts;
    QSqlQuery q = m_db.query();
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT user_id, state, count(*) FROM tasks "
                             "WHERE user_id IN (SELECT value FROM json_each(?)) GROUP BY user_id, state"));
    q.addBindValue(
        QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(userIds)).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return m_db.problem(q);
    while (q.next()) {
        if (const auto state = taskStateFromString(q.value(1).toString())) {
            auto& row = counts[q.value(0).toString()];
            row[static_cast<std::size_t>(*state)] = q.value(2).toLongLong();
        }
    }
    return counts;
}

Result<void> UserStore::remove(const QString& id)
{
    return m_db.write([&]() -> Result<void> {
        if (auto existing = get(id); !existing)
            return existing.error();
        QSqlQuery q = m_db.query();
        q.prepare(
            QStringLiteral("SELECT count(*) FILTER (WHERE state IN ('pending', 'running', 'retrying')), "
                           "count(*) FROM tasks WHERE user_id = ?"));
        q.addBindValue(id);
        if (!q.exec() || !q.next())
            return m_db.problem(q);
        const qint64 active = q.value(0).toLongLong();
        const qint64 all = q.value(1).toLongLong();
        q.finish();
        if (active > 0)
            return Error{u"the user still has " + QString::number(active) +
                         u" pending or running task(s); cancel them or let them finish first"};
        QSqlQuery change = m_db.query();
        if (all > 0) {
            change.prepare(QStringLiteral("UPDATE users SET deleted_at = ? WHERE id = ?"));
            change.addBindValue(QDateTime::currentMSecsSinceEpoch());
        } else {
            change.prepare(QStringLiteral("DELETE FROM users WHERE id = ?"));
        }
        change.addBindValue(id);
        if (!change.exec())
            return m_db.problem(change);
        return {};
    });
}

Result<UserPage> UserStore::page(const UserQuery& query) const
{
    const int size = std::clamp(query.pageSize, 1, UserQuery::MaxPageSize);
    QString sql = u"SELECT " + columns + u" FROM users WHERE deleted_at IS NULL";
    const QString match = ftsQuery(query.search);
    if (!match.isEmpty())
        sql += u" AND rowid IN (SELECT rowid FROM users_fts WHERE users_fts MATCH :match)";
    if (query.after)
        sql += u" AND (created_at, id) < (:at, :id)";
    sql += u" ORDER BY created_at DESC, id DESC LIMIT :limit";
    QSqlQuery q = m_db.query();
    q.setForwardOnly(true);
    q.prepare(sql);
    if (!match.isEmpty())
        q.bindValue(QStringLiteral(":match"), match);
    if (query.after) {
        q.bindValue(QStringLiteral(":at"), query.after->createdAtMs);
        q.bindValue(QStringLiteral(":id"), query.after->id);
    }
    q.bindValue(QStringLiteral(":limit"), size);
    if (!q.exec())
        return m_db.problem(q);
    UserPage result;
    result.users.reserve(size);
    while (q.next())
        result.users.append(userFrom(q));
    if (result.users.size() == size)
        result.next = UserCursor{result.users.constLast().createdAtMs, result.users.constLast().id};
    return result;
}

Result<qint64> UserStore::count() const
{
    return m_db.scalar(QStringLiteral("SELECT count(*) FROM users WHERE deleted_at IS NULL"));
}

} // namespace workdeck
