#include "Migrations.h"

#include "Database.h"
#include "Logging.h"

#include <QByteArray>

#include <array>

namespace workdeck::Migrations {

namespace {

// Never edit a step once released: add one.
constexpr std::array<const char*, 5> steps{
    // 1: users, tasks and their attempts.
    R"sql(
CREATE TABLE users(
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX users_newest ON users(created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE TABLE tasks(
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL CHECK(priority BETWEEN 0 AND 255),
    max_retries INTEGER NOT NULL CHECK(max_retries BETWEEN 0 AND 255),
    timeout_ms INTEGER NOT NULL CHECK(timeout_ms BETWEEN 1 AND 86400000),
    user_id TEXT REFERENCES users(id),
    params TEXT NOT NULL,
    state TEXT NOT NULL CHECK(state IN ('pending','running','retrying','succeeded','failed','cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    output TEXT,
    error TEXT
);
CREATE INDEX tasks_active ON tasks(state) WHERE state IN ('pending','running','retrying');
CREATE INDEX tasks_user ON tasks(user_id) WHERE user_id IS NOT NULL;
CREATE TABLE attempts(
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    worker INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    error TEXT
);
CREATE INDEX attempts_task ON attempts(task_id);
)sql",
    // 2: full-text search over users' e-mail and name (FTS5 ships in Debian's SQLite).
    R"sql(
CREATE VIRTUAL TABLE users_fts USING fts5(email, name, content='users', content_rowid='rowid',
                                          tokenize='unicode61 remove_diacritics 2');
INSERT INTO users_fts(users_fts) VALUES('rebuild');
CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts(rowid, email, name) VALUES (new.rowid, new.email, new.name);
END;
CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts(users_fts, rowid, email, name) VALUES ('delete', old.rowid, old.email, old.name);
END;
CREATE TRIGGER users_fts_update AFTER UPDATE OF email, name ON users BEGIN
    INSERT INTO users_fts(users_fts, rowid, email, name) VALUES ('delete', old.rowid, old.email, old.name);
    INSERT INTO users_fts(rowid, email, name) VALUES (new.rowid, new.email, new.name);
END;
)sql",
    // 3: the task state checks as comparisons. SQLite tests a constant IN list of more than two
    // values through a temporary table built on every insert and update, which made writing
    // tasks four times slower. Only the text of a CHECK changes, so the table is edited in
    // place (the procedure of SQLite's ALTER TABLE documentation) rather than copied.
    R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
                     'CHECK(state IN (''pending'',''running'',''retrying'',''succeeded'',''failed'',''cancelled''))',
                     'CHECK(state = ''pending'' OR state = ''running'' OR state = ''retrying'' OR '
                     || 'state = ''succeeded'' OR state = ''failed'' OR state = ''cancelled'')')
 WHERE type = 'table' AND name = 'tasks';
PRAGMA writable_schema = OFF;
DROP INDEX tasks_active;
CREATE INDEX tasks_active ON tasks(state) WHERE state = 'pending' OR state = 'running' OR state = 'retrying';
)sql",
    // 4: the Tasks view. Failed and cancelled tasks are few among millions, so filtering on them
    // would scan the table: a partial index finds them, and costs a write only when a task ends
    // that way. Full-text search over parameters, output and error lives in its own FTS5 table,
    // filled in the background by SearchIndex rather than by triggers, so that the history
    // writer never pays for it; search_state remembers how far the index has come.
    R"sql(
CREATE INDEX tasks_unsuccessful ON tasks(state) WHERE state = 'failed' OR state = 'cancelled';
CREATE VIRTUAL TABLE task_search USING fts5(params, output, error, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE search_state(
    id INTEGER PRIMARY KEY CHECK(id = 1),
    max_task_id INTEGER NOT NULL,
    finished_since INTEGER NOT NULL
);
INSERT INTO search_state VALUES (1, 0, 0);
)sql",
    // 5: what changes as a task runs, in a narrow table of its own. The history writer rewrites
    // a task's state, attempts, times, output and error; in the task row that meant rewriting
    // ~135 bytes (its uuid, kind and parameters too) and every page of the table, where these
    // rows are ~40 bytes. `tasks` becomes a view joining the two, so readers see what they saw,
    // and stays writable for scripts through its triggers. Its id is task_status's, so that a
    // search of the state indexes comes out in id order.
    R"sql(
DROP INDEX tasks_active;
DROP INDEX tasks_unsuccessful;
ALTER TABLE tasks RENAME TO task_specs;
CREATE TABLE task_status(
    id INTEGER PRIMARY KEY REFERENCES task_specs(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK(state = 'pending' OR state = 'running' OR state = 'retrying' OR
                              state = 'succeeded' OR state = 'failed' OR state = 'cancelled'),
    attempts INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER,
    finished_at INTEGER,
    output TEXT,
    error TEXT
);
INSERT INTO task_status SELECT id, state, attempts, started_at, finished_at, output, error FROM task_specs;
ALTER TABLE task_specs DROP COLUMN state;
ALTER TABLE task_specs DROP COLUMN attempts;
ALTER TABLE task_specs DROP COLUMN started_at;
ALTER TABLE task_specs DROP COLUMN finished_at;
ALTER TABLE task_specs DROP COLUMN output;
ALTER TABLE task_specs DROP COLUMN error;
CREATE INDEX task_status_active ON task_status(state)
    WHERE state = 'pending' OR state = 'running' OR state = 'retrying';
CREATE INDEX task_status_unsuccessful ON task_status(state) WHERE state = 'failed' OR state = 'cancelled';
CREATE VIEW tasks AS
SELECT t.id AS id, s.uuid AS uuid, s.kind AS kind, s.priority AS priority, s.max_retries AS max_retries,
       s.timeout_ms AS timeout_ms, s.user_id AS user_id, s.params AS params, t.state AS state,
       t.attempts AS attempts, s.created_at AS created_at, t.started_at AS started_at,
       t.finished_at AS finished_at, t.output AS output, t.error AS error
  FROM task_status t JOIN task_specs s ON s.id = t.id;
CREATE TRIGGER tasks_insert INSTEAD OF INSERT ON tasks BEGIN
    INSERT INTO task_specs(id, uuid, kind, priority, max_retries, timeout_ms, user_id, params, created_at)
    VALUES (new.id, new.uuid, new.kind, new.priority, new.max_retries, new.timeout_ms, new.user_id, new.params,
            new.created_at);
    INSERT INTO task_status(id, state, attempts, started_at, finished_at, output, error)
    VALUES (last_insert_rowid(), new.state, coalesce(new.attempts, 0), new.started_at, new.finished_at,
            new.output, new.error);
END;
CREATE TRIGGER tasks_update INSTEAD OF UPDATE ON tasks BEGIN
    UPDATE task_specs SET uuid = new.uuid, kind = new.kind, priority = new.priority,
           max_retries = new.max_retries, timeout_ms = new.timeout_ms, user_id = new.user_id,
           params = new.params, created_at = new.created_at
     WHERE id = old.id;
    UPDATE task_status SET state = new.state, attempts = new.attempts, started_at = new.started_at,
           finished_at = new.finished_at, output = new.output, error = new.error
     WHERE id = old.id;
END;
CREATE TRIGGER tasks_delete INSTEAD OF DELETE ON tasks BEGIN
    DELETE FROM task_specs WHERE id = old.id;
END;
)sql",
};

} // namespace

int latest()
{
    return static_cast<int>(steps.size());
}

Result<void> apply(Database& db, int target)
{
    if (target < 0)
        target = latest();
    for (;;) {
        // Read inside the transaction: another process may be migrating the same file.
        bool done = false;
        auto step = db.write([&]() -> Result<void> {
            const auto current = db.scalar(QStringLiteral("PRAGMA user_version"));
            if (!current)
                return current.error();
            if (*current >= target) {
                done = true;
                return {};
            }
            const auto next = static_cast<std::size_t>(*current);
            if (auto applied = db.exec(steps[next]); !applied)
                return Error{u"upgrading the database to version " + QString::number(next + 1) +
                             u" failed: " + applied.error().message};
            const QByteArray version = "PRAGMA user_version = " + QByteArray::number(next + 1);
            if (auto set = db.exec(version.constData()); !set)
                return set;
            // A step may edit sqlite_schema directly; a new schema cookie makes every
            // connection, this one included, read the schema again.
            const auto cookie = db.scalar(QStringLiteral("PRAGMA schema_version"));
            if (!cookie)
                return cookie.error();
            const QByteArray bump = "PRAGMA schema_version = " + QByteArray::number(*cookie + 1);
            if (auto set = db.exec(bump.constData()); !set)
                return set;
            qCInfo(lcStorage) << "database" << db.path() << "upgraded to schema version" << next + 1;
            return {};
        });
        if (!step)
            return step;
        if (done)
            return {};
    }
}

} // namespace workdeck::Migrations
