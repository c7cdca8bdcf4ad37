#include "Database.h"

#include "Logging.h"
#include "Migrations.h"
#include "SqliteStatement.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <sqlite3.h>

#include <atomic>

namespace workdeck {

namespace {

std::atomic<int> connectionCount{0};

// 64 MiB of page cache: the working set of a million-task history; measured in the
// storage benchmark, larger caches bought nothing.
constexpr const char* pragmas = "PRAGMA journal_mode = WAL;"
                                "PRAGMA synchronous = NORMAL;"
                                "PRAGMA foreign_keys = ON;"
                                "PRAGMA cache_size = -65536;"
                                "PRAGMA temp_store = MEMORY;";

constexpr int busyTimeoutMs = 10'000;

} // namespace

int Database::schemaVersion()
{
    return Migrations::latest();
}

QString Database::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/workdeck.sqlite";
}

Database::Database(QString path, QString connection)
    : m_path(std::move(path))
    , m_connection(std::move(connection))
{
}

Database::~Database()
{
    m_sql.close();
    m_sql = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

Result<std::unique_ptr<Database>> Database::open(const QString& path)
{
    const QFileInfo info(path);
    if (path.isEmpty())
        return Error{QStringLiteral("database: no file name given")};
    if (info.isDir())
        return Error{u"database: " + path + u" is a folder; name a file"};
    if (!info.exists()) {
        if (!QDir().mkpath(info.absolutePath()))
            return Error{u"database: cannot create the folder " + info.absolutePath()};
        // Created owner-only before SQLite sees it; SQLite gives its -wal and -shm files the
        // same permissions.
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return Error{u"database: cannot create " + path + u": " + file.errorString()};
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.close();
    }

    std::unique_ptr<Database> db(
        new Database(info.absoluteFilePath(), u"workdeck-" + QString::number(connectionCount.fetch_add(1))));
    db->m_sql = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), db->m_connection);
    db->m_sql.setDatabaseName(db->m_path);
    if (!db->m_sql.open())
        return Error{u"database: cannot open " + path + u": " + db->m_sql.lastError().text()};
    const QVariant handle = db->m_sql.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return Error{QStringLiteral("database: the Qt SQLite driver did not provide its handle")};
    db->m_handle = *static_cast<sqlite3* const*>(handle.constData());
    if (auto configured = db->configure(); !configured)
        return Error{u"database " + path + u": " + configured.error().message};
    return db;
}

Result<void> Database::configure()
{
    sqlite3_busy_timeout(m_handle, busyTimeoutMs);
    // Look before changing anything: a file that is not ours, or is from a newer Workdeck,
    // must be left exactly as it is.
    const auto version = scalar(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return version.error();
    if (*version > schemaVersion())
        return Error{u"was written by a newer version of Workdeck (schema " + QString::number(*version) +
                     u"; this version knows up to " + QString::number(schemaVersion()) +
                     u"). Use a newer Workdeck, or another file with --db."};
    if (*version == 0) {
        const auto tables = scalar(QStringLiteral("SELECT count(*) FROM sqlite_master"));
        if (!tables)
            return tables.error();
        if (*tables > 0)
            return Error{QStringLiteral("is an SQLite database of another program, not a Workdeck database; "
                                        "name another file with --db")};
    }
    if (auto set = exec(pragmas); !set)
        return set;
    return Migrations::apply(*this);
}

Result<void> Database::exec(const char* statements)
{
    char* message = nullptr;
    const int code = sqlite3_exec(m_handle, statements, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (code != SQLITE_OK)
        return Error{sqliteProblem(m_handle, code)};
    return {};
}

Result<void> Database::write(const std::function<Result<void>()>& work)
{
    if (auto begun = exec("BEGIN IMMEDIATE"); !begun)
        return begun;
    Result<void> done = work();
    if (done) {
        done = exec("COMMIT");
        if (done)
            return done;
    }
    if (!sqlite3_get_autocommit(m_handle))
        (void)exec("ROLLBACK");
    return done;
}

QSqlQuery Database::query() const
{
    return QSqlQuery(m_sql);
}

Error Database::problem(const QSqlQuery& failed) const
{
    const QSqlError error = failed.lastError();
    bool numeric = false;
    const int code = error.nativeErrorCode().toInt(&numeric);
    if (numeric && code != 0)
        return Error{sqliteProblem(m_handle, code)};
    return Error{error.text()};
}

Result<qint64> Database::scalar(const QString& sql, qint64 fallback) const
{
    QSqlQuery q = query();
    if (!q.exec(sql))
        return problem(q);
    return q.next() ? q.value(0).toLongLong() : fallback;
}

} // namespace workdeck
