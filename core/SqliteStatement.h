#pragma once

#include "Result.h"

#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace workdeck {

/// A prepared statement run straight on the SQLite handle of a Qt Sql connection.
///
/// Qt Sql stays the way Workdeck opens, migrates and queries its database; the few statements
/// that run hundreds of thousands of times a second (task inserts and history updates) bind
/// their values here instead, without a QVariant per value. The connection's transaction is
/// shared: the statement runs inside whatever BEGIN the connection is in.
class SqliteStatement {
public:
    static Result<SqliteStatement> prepare(sqlite3* db, const char* sql);

    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement();

    // Parameters are numbered from 1, as in SQLite.
    void bind(int index, qint64 value);
    void bind(int index, const QString& value); ///< a null QString binds NULL
    void bindText(int index, QByteArrayView utf8);
    void bindNull(int index);
    /// Runs a statement that returns no rows, then resets it for the next use.
    Result<void> run();
    /// Steps a query: true while there is a row to read, false at the end.
    Result<bool> next();
    qint64 columnInt(int column) const;
    QString columnText(int column) const;
    bool columnIsNull(int column) const;
    void reset();

private:
    SqliteStatement(sqlite3* db, sqlite3_stmt* statement);

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_statement = nullptr;
};

/// The message SQLite gives for `code` on `db`, worded for a person.
QString sqliteProblem(sqlite3* db, int code);

} // namespace workdeck
