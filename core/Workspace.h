#pragma once

#include "Database.h"
#include "HistoryWriter.h"
#include "TaskStore.h"
#include "UserStore.h"
#include "WorkerPool.h"

#include <QObject>

#include <array>
#include <atomic>
#include <memory>
#include <optional>

namespace workdeck {

/// A database and the pool that runs its tasks, wired together: new tasks are stored before
/// they are queued, every state change reaches the database through the history writer, and
/// closing stops the pool before the last changes are written (STYLE: stop dispatch → stop
/// or wait running → flush writer → close database). The window and the headless run both
/// work through one.
class Workspace : public QObject {
    Q_OBJECT

public:
    /// Opens (creating or upgrading) the database at `path`. The pool starts paused, holding
    /// nothing; call start().
    static Result<std::unique_ptr<Workspace>> open(const QString& path, const KindRegistry& kinds,
                                                   const WorkerPool::Options& options);
    ~Workspace() override;

    Database& database() { return *m_db; }
    UserStore& users() { return m_users; }
    TaskStore& tasks() { return m_tasks; }
    WorkerPool& pool() { return *m_pool; }
    HistoryWriter& writer() { return *m_writer; }
    const KindRegistry& kinds() const { return m_kinds; }

    /// Crash recovery, then every pending task into the pool, which starts dispatching.
    Result<Recovery> start();
    /// What start() recovered.
    const Recovery& recovered() const { return m_recovery; }
    /// Tasks by state in the database when start() began dispatching, after recovery: what
    /// finished before this session. The pool counts what finishes from then on.
    const std::array<qint64, TaskStateCount>& countsAtStart() const { return m_countsAtStart; }
    /// Stores new tasks (all or none), then queues them. Returns their ids. Setting `cancel`
    /// while they are stored stores none.
    Result<std::vector<TaskId>> queue(std::vector<TaskSpec> specs, const std::atomic_bool* cancel = nullptr);
    /// The user id for an e-mail address, for task records that name their user.
    std::optional<QString> userIdByEmail(const QString& email) const;
    /// Shuts the pool down (running tasks get `graceMs`), then writes every change.
    Result<void> close(std::optional<int> graceMs = std::nullopt);

signals:
    /// The history writer could not save changes; they are kept and tried again.
    void storageProblem(const QString& message);

private:
    Workspace(std::unique_ptr<Database> db, std::unique_ptr<HistoryWriter> writer, const KindRegistry& kinds,
              const WorkerPool::Options& options);

    const KindRegistry& m_kinds;
    std::unique_ptr<Database> m_db;
    UserStore m_users;
    TaskStore m_tasks;
    std::unique_ptr<HistoryWriter> m_writer;
    std::unique_ptr<WorkerPool> m_pool;
    Recovery m_recovery;
    std::array<qint64, TaskStateCount> m_countsAtStart{};
    QString m_lastProblem;
    bool m_closed = false;
};

} // namespace workdeck
