#include "SqliteStatement.h"

#include <sqlite3.h>

#include <utility>

namespace workdeck {

QString sqliteProblem(sqlite3* db, int code)
{
    switch (code & 0xff) {
    case SQLITE_FULL:
        return QStringLiteral("the database or the disk is full; free some space and try again");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return QStringLiteral("the database is locked by another program; close it and try again");
    case SQLITE_READONLY:
        return QStringLiteral("the database cannot be written; check the file's permissions");
    case SQLITE_IOERR:
        return QStringLiteral("the database file could not be read or written (") +
               QString::fromUtf8(sqlite3_errmsg(db)) + u')';
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return QStringLiteral("the database file is damaged or is not a Workdeck database");
    default:
        return QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
    }
}

Result<SqliteStatement> SqliteStatement::prepare(sqlite3* db, const char* sql)
{
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK)
        return Error{sqliteProblem(db, code)};
    return SqliteStatement(db, statement);
}

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* statement)
    : m_db(db)
    , m_statement(statement)
{
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_statement(std::exchange(other.m_statement, nullptr))
{
}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_db = std::exchange(other.m_db, nullptr);
        m_statement = std::exchange(other.m_statement, nullptr);
    }
    return *this;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_statement, index, value);
}

void SqliteStatement::bind(int index, const QString& value)
{
    if (value.isNull()) {
        sqlite3_bind_null(m_statement, index);
        return;
    }
    sqlite3_bind_text16(m_statement, index, value.utf16(), static_cast<int>(value.size() * 2),
                        SQLITE_TRANSIENT);
}

void SqliteStatement::bindText(int index, QByteArrayView utf8)
{
    sqlite3_bind_text(m_statement, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_statement, index);
}

Result<void> SqliteStatement::run()
{
    const int code = sqlite3_step(m_statement);
    sqlite3_reset(m_statement);
    if (code != SQLITE_DONE && code != SQLITE_ROW)
        return Error{sqliteProblem(m_db, code)};
    return {};
}

Result<bool> SqliteStatement::next()
{
    const int code = sqlite3_step(m_statement);
    if (code == SQLITE_ROW)
        return true;
    sqlite3_reset(m_statement);
    if (code != SQLITE_DONE)
        return Error{sqliteProblem(m_db, code)};
    return false;
}

qint64 SqliteStatement::columnInt(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

QString SqliteStatement::columnText(int column) const
{
    const auto* text = static_cast<const char16_t*>(sqlite3_column_text16(m_statement, column));
    if (text == nullptr)
        return {};
    return QString::fromUtf16(text, sqlite3_column_bytes16(m_statement, column) / 2);
}

bool SqliteStatement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

} // namespace workdeck
