#pragma once

#include "Result.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>

struct sqlite3;
class QSqlQuery;

namespace workdeck {

/// One connection to a Workdeck database file, used by one thread (SPEC S6).
///
/// Opening creates the file readable by its owner only, refuses files that are not Workdeck
/// databases or come from a newer Workdeck (leaving them untouched), sets WAL, NORMAL sync,
/// foreign keys and a busy timeout, and applies the migrations that are missing.
class Database {
public:
    /// The schema this build writes; see Migrations.cpp.
    static int schemaVersion();
    /// The database used when none is named: AppDataLocation/workdeck.sqlite.
    static QString defaultPath();

    static Result<std::unique_ptr<Database>> open(const QString& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const QString& path() const { return m_path; }
    QSqlDatabase& sql() { return m_sql; }
    sqlite3* handle() const { return m_handle; }

    /// Runs statements that bind nothing (pragmas, DDL, transaction control).
    Result<void> exec(const char* statements);
    /// Runs `work` in a BEGIN IMMEDIATE transaction: committed when it succeeds, rolled back
    /// (nothing written) when it fails. Qt's transaction() would issue a plain BEGIN, which can
    /// fail with SQLITE_BUSY when it later needs to write.
    Result<void> write(const std::function<Result<void>()>& work);
    /// A query on this connection.
    QSqlQuery query() const;
    /// Explains why a Qt Sql call on this connection failed.
    Error problem(const QSqlQuery& failed) const;
    /// The value of a single-value query such as a pragma; `fallback` when it has no row.
    Result<qint64> scalar(const QString& sql, qint64 fallback = 0) const;

private:
    Database(QString path, QString connection);
    Result<void> configure();

    QString m_path;
    QString m_connection;
    QSqlDatabase m_sql;
    sqlite3* m_handle = nullptr;
};

} // namespace workdeck
