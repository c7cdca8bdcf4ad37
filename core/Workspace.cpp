#include "Workspace.h"

#include "Logging.h"

namespace workdeck {

Result<std::unique_ptr<Workspace>> Workspace::open(const QString& path, const KindRegistry& kinds,
                                                   const WorkerPool::Options& options)
{
    auto db = Database::open(path);
    if (!db)
        return db.error();
    auto writer = HistoryWriter::start((*db)->path());
    if (!writer)
        return writer.error();
    return std::unique_ptr<Workspace>(new Workspace(std::move(*db), std::move(*writer), kinds, options));
}

Workspace::Workspace(std::unique_ptr<Database> db, std::unique_ptr<HistoryWriter> writer,
                     const KindRegistry& kinds, const WorkerPool::Options& options)
    : m_kinds(kinds)
    , m_db(std::move(db))
    , m_users(*m_db)
    , m_tasks(*m_db, kinds)
    , m_writer(std::move(writer))
    , m_pool(std::make_unique<WorkerPool>(kinds, options))
{
    m_pool->pause();
    connect(m_pool.get(), &WorkerPool::tasksChanged, this, [this](const QList<TaskEvent>& events) {
        m_writer->post(events);
        // Problems are reported once each, not with every batch.
        const QString problem = m_writer->lastError();
        if (problem != m_lastProblem) {
            m_lastProblem = problem;
            if (!problem.isEmpty())
                emit storageProblem(problem);
        }
    });
}

Workspace::~Workspace()
{
    if (!m_closed) {
        if (auto closed = close(0); !closed)
            qCWarning(lcStorage) << closed.error().message;
    }
}

Result<Recovery> Workspace::start()
{
    auto recovery = m_tasks.recover();
    if (!recovery)
        return recovery.error();
    m_recovery = *recovery;
    // Counted before anything runs: once the pool dispatches, the database lags behind it by
    // whatever the history writer has not committed yet.
    auto counts = m_tasks.countByState();
    if (!counts)
        return counts.error();
    m_countsAtStart = *counts;
    auto loaded = m_tasks.loadPending([this](std::vector<TaskSpec>&& specs) -> Result<void> {
        auto queued = m_pool->submitBatch(std::move(specs));
        if (!queued)
            return queued.error();
        return {};
    });
    if (!loaded)
        return loaded.error();
    qCInfo(lcStorage) << "queued" << *loaded << "pending task(s) from" << m_db->path();
    m_pool->resume();
    return m_recovery;
}

Result<std::vector<TaskId>> Workspace::queue(std::vector<TaskSpec> specs, const std::atomic_bool* cancel)
{
    if (auto stored = m_tasks.insert(specs, cancel); !stored)
        return stored.error();
    return m_pool->submitBatch(std::move(specs));
}

std::optional<QString> Workspace::userIdByEmail(const QString& email) const
{
    auto user = m_users.findByEmail(email);
    if (!user)
        return std::nullopt;
    return user->id;
}

Result<void> Workspace::close(std::optional<int> graceMs)
{
    if (m_closed)
        return {};
    m_closed = true;
    m_pool->shutdown(graceMs);
    m_pool->flushEvents();
    return m_writer->flush();
}

} // namespace workdeck
