-- A database as schema version 1 of Workdeck wrote it (two users, a finished task and one
-- interrupted while running). tst_database builds a file from it and upgrades it.
BEGIN TRANSACTION;
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
INSERT INTO "tasks" VALUES(1,'1d3e5f70-0000-4000-8000-000000000001','simulate',5,0,10000,'6f1c5a0e-8a44-4b1e-9d7e-3f0a1c2b3d4e','{"duration_ms":0,"fail_attempts":0}','succeeded',1,1700000002000,1700000002100,1700000002100,'simulated by worker 1',NULL);
INSERT INTO "tasks" VALUES(2,'1d3e5f70-0000-4000-8000-000000000002','simulate',9,2,10000,NULL,'{"duration_ms":0,"fail_attempts":0}','running',1,1700000003000,NULL,NULL,NULL,NULL);
CREATE TABLE users(
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);
INSERT INTO "users" VALUES('6f1c5a0e-8a44-4b1e-9d7e-3f0a1c2b3d4e','ada@example.com','Ada Lovelace',1700000000000,NULL);
INSERT INTO "users" VALUES('0b9d2c3e-1f2a-4c5d-8e6f-7a8b9c0d1e2f','grace@example.org','Grace Hopper',1700000001000,NULL);
CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE) WHERE deleted_at IS NULL;
CREATE INDEX users_newest ON users(created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX tasks_active ON tasks(state) WHERE state IN ('pending','running','retrying');
CREATE INDEX tasks_user ON tasks(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX attempts_task ON attempts(task_id);
COMMIT;
PRAGMA user_version=1;
