#include "Database.h"
#include "UserStore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace workdeck;

namespace {

/// Runs SQL on a file with SQLite alone, the way another program (or an older Workdeck) would.
bool runRaw(const QString& path, const QByteArray& sql)
{
    sqlite3* db = nullptr;
    const QByteArray name = QFile::encodeName(path);
    bool ok = sqlite3_open(name.constData(), &db) == SQLITE_OK &&
              sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestDatabase : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_next = 0;
    QString freshPath() { return m_dir.filePath(u"db" + QString::number(++m_next) + u".sqlite"); }

private slots:
    void aNewFileIsOwnerOnlyAtTheLatestVersion()
    {
        const QString path = freshPath();
        auto db = Database::open(path);
        QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().message));
        QCOMPARE(*(*db)->scalar(QStringLiteral("PRAGMA user_version")), qint64(Database::schemaVersion()));
        QCOMPARE(*(*db)->scalar(QStringLiteral("PRAGMA foreign_keys")), qint64(1));
        QSqlQuery mode = (*db)->query();
        QVERIFY(mode.exec(QStringLiteral("PRAGMA journal_mode")) && mode.next());
        QCOMPARE(mode.value(0).toString(), QStringLiteral("wal"));
        QCOMPARE(QFile::permissions(path) & (QFile::ReadOther | QFile::ReadGroup | QFile::WriteOther |
                                             QFile::WriteGroup | QFile::ReadOwner | QFile::WriteOwner),
                 QFile::ReadOwner | QFile::WriteOwner);
    }

    void upgradesAFileOfTheFirstVersion()
    {
        const QString path = freshPath();
        QFile dump(QStringLiteral(WORKDECK_TEST_DATA "/workdeck-v1.sql"));
        QVERIFY(dump.open(QIODevice::ReadOnly));
        QVERIFY(runRaw(path, dump.readAll()));

        auto db = Database::open(path);
        QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().message));
        QCOMPARE(*(*db)->scalar(QStringLiteral("PRAGMA user_version")), qint64(Database::schemaVersion()));
        QCOMPARE(*(*db)->scalar(QStringLiteral("SELECT count(*) FROM tasks")), qint64(2));
        // Version 5 moved what changes as a task runs to task_status; the view shows it as before.
        QCOMPARE(*(*db)->scalar(QStringLiteral("SELECT count(*) FROM pragma_table_info('task_specs') "
                                               "WHERE name IN ('state', 'attempts', 'output')")),
                 qint64(0));
        QSqlQuery moved = (*db)->query();
        QVERIFY(moved.exec(
            QStringLiteral("SELECT t.state, t.attempts, t.started_at, t.finished_at, t.output, "
                           "v.uuid, v.priority, v.output FROM task_status t JOIN tasks v USING (id) "
                           "WHERE id = 1")));
        QVERIFY(moved.next());
        QCOMPARE(moved.value(0).toString(), QStringLiteral("succeeded"));
        QCOMPARE(moved.value(1).toInt(), 1);
        QCOMPARE(moved.value(2).toLongLong(), qint64(1'700'000'002'100));
        QCOMPARE(moved.value(3).toLongLong(), qint64(1'700'000'002'100));
        QCOMPARE(moved.value(4).toString(), QStringLiteral("simulated by worker 1"));
        QCOMPARE(moved.value(5).toString(), QStringLiteral("1d3e5f70-0000-4000-8000-000000000001"));
        QCOMPARE(moved.value(6).toInt(), 5);
        QCOMPARE(moved.value(7).toString(), QStringLiteral("simulated by worker 1"));
        // Version 2 added the search index; the users already there are in it.
        UserStore users(**db);
        const auto found = users.page({QStringLiteral("lovel"), std::nullopt, 50});
        QVERIFY(found.ok());
        QCOMPARE(found->users.size(), 1);
        QCOMPARE(found->users.front().name, QStringLiteral("Ada Lovelace"));
        QCOMPARE(found->users.front().createdAtMs, qint64(1'700'000'000'000));
        const auto added = users.create({QStringLiteral("alan@example.com"), QStringLiteral("Alan Turing")});
        QVERIFY(added.ok());
        QCOMPARE(users.page({QStringLiteral("turing"), std::nullopt, 50})->users.size(), 1);
        QSqlQuery check = (*db)->query();
        QVERIFY(check.exec(QStringLiteral("PRAGMA integrity_check")) && check.next());
        QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
        // Version 3 rewrote the state check in place and version 5 moved it with the state; it
        // still holds, through the tasks view too, on this connection too.
        const auto schema = (*db)->scalar(QStringLiteral("SELECT instr(sql, 'state IN (') FROM sqlite_schema "
                                                         "WHERE name = 'task_status'"));
        QCOMPARE(*schema, qint64(0));
        QVERIFY(!check.exec(QStringLiteral("UPDATE tasks SET state = 'bogus' WHERE id = 1")));
        QVERIFY(check.lastError().text().contains(u"CHECK constraint failed"));
        QVERIFY(check.exec(QStringLiteral("UPDATE tasks SET state = 'failed' WHERE id = 1")));
        QVERIFY(
            check.exec(QStringLiteral("EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE state = 'running'")));
        QVERIFY(check.next());
        QVERIFY2(check.value(3).toString().contains(u"task_status_active"),
                 qPrintable(check.value(3).toString()));
    }

    void refusesANewerSchemaAndLeavesItUntouched()
    {
        const QString path = freshPath();
        QVERIFY(Database::open(path).ok());
        QVERIFY(runRaw(path, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;"));
        const QByteArray before = fileHash(path);
        auto db = Database::open(path);
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(u"newer version of Workdeck (schema 99"),
                 qPrintable(db.error().message));
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + u"-wal"));
    }

    void refusesWhatIsNotAWorkdeckDatabase_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QByteArray noise(8192, '\0');
        for (int i = 0; i < noise.size(); ++i)
            noise[i] = static_cast<char>((i * 7919 + 13) % 251);
        QTest::newRow("random bytes") << noise << QStringLiteral("damaged or is not a Workdeck database");
        QTest::newRow("a text file") << QByteArray("name,email\nada,ada@example.com\n")
                                     << QStringLiteral("damaged or is not a Workdeck database");
        QByteArray header("SQLite format 3");
        header.append('\0');
        header.append(QByteArray(4096, 'x'));
        QTest::newRow("a damaged header")
            << header << QStringLiteral("damaged or is not a Workdeck database");
        QTest::newRow("another program's database") << QByteArray() << QStringLiteral("another program");
    }

    void refusesWhatIsNotAWorkdeckDatabase()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const QString path = freshPath();
        if (content.isEmpty()) {
            QVERIFY(runRaw(path, "CREATE TABLE photos(id INTEGER PRIMARY KEY, file TEXT);"));
        } else {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        const QByteArray before = fileHash(path);
        auto db = Database::open(path);
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(message), qPrintable(db.error().message));
        QVERIFY(db.error().message.contains(path));
        QCOMPARE(fileHash(path), before);
    }

    void refusesAFolder()
    {
        auto db = Database::open(m_dir.path());
        QVERIFY(!db.ok());
        QVERIFY(db.error().message.contains(u"is a folder"));
    }

    void aFailedWriteLeavesNothingBehind()
    {
        auto db = Database::open(freshPath());
        QVERIFY(db.ok());
        Database& d = **db;
        auto written = d.write([&]() -> Result<void> {
            if (auto done =
                    d.exec("INSERT INTO users(id, email, name, created_at) VALUES('u', 'a@b.c', 'A', 1)");
                !done)
                return done;
            return Error{QStringLiteral("changed my mind")};
        });
        QVERIFY(!written.ok());
        QCOMPARE(written.error().message, QStringLiteral("changed my mind"));
        QCOMPARE(*d.scalar(QStringLiteral("SELECT count(*) FROM users")), qint64(0));
        QVERIFY(d.write([&] {
                     return d.exec("INSERT INTO users(id, email, name, created_at) "
                                   "VALUES('u', 'a@b.c', 'A', 1)");
                 }).ok());
        QCOMPARE(*d.scalar(QStringLiteral("SELECT count(*) FROM users")), qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
