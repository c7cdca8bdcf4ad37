#pragma once

#include "Result.h"
#include "TaskState.h"
#include "UserValidator.h"

#include <QHash>
#include <QStringList>
#include <array>

#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QSqlQuery;

namespace workdeck {

class Database;

/// A person who submits tasks (SPEC S1).
struct User {
    QString id; ///< UUID v4
    QString email;
    QString name;
    qint64 createdAtMs = 0;
};

/// Where a page of users ends: the next page starts after this user.
struct UserCursor {
    qint64 createdAtMs = 0;
    QString id;
};

struct UserQuery {
    static constexpr int DefaultPageSize = 50;
    static constexpr int MaxPageSize = 100;

    QString search; ///< words matched against e-mail and name (prefixes); empty lists everyone
    std::optional<UserCursor> after;
    int pageSize = DefaultPageSize;
};

struct UserPage {
    QList<User> users;
    std::optional<UserCursor> next; ///< set when there may be more
};

/// The users table: validated writes, newest-first keyset paging and full-text search. Every
/// value is bound, never spliced into SQL.
class UserStore {
public:
    explicit UserStore(Database& db);

    /// Replaces the wall clock (UTC ms) that stamps new users, for tests.
    void setClock(std::function<qint64()> nowMs) { m_clock = std::move(nowMs); }

    Result<User> create(const UserInput& input);
    /// "user not found" when there is no such user.
    Result<User> get(const QString& id) const;
    /// The user with this e-mail address, compared without regard to case.
    Result<User> findByEmail(const QString& email) const;
    Result<User> update(const QString& id, const UserInput& input);
    /// Refused while the user has pending, running or retrying tasks. A user with finished
    /// tasks is hidden rather than erased, so those tasks still show who submitted them.
    Result<void> remove(const QString& id);
    Result<UserPage> page(const UserQuery& query) const;
    Result<qint64> count() const;
    /// How many tasks each of these users submitted, by state (indexed by TaskState). Users
    /// with no tasks are missing from the result.
    Result<QHash<QString, std::array<qint64, TaskStateCount>>> taskCounts(const QStringList& userIds) const;

private:
    Result<void> checkEmailFree(const QString& email, const QString& exceptId) const;
    Error duplicateOr(const QSqlQuery& failed) const;

    Database& m_db;
    std::function<qint64()> m_clock;
};

} // namespace workdeck
