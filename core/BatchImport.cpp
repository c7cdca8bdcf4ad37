#include "BatchImport.h"

#include "BackgroundPriority.h"
#include "CallQueue.h"

#include "Database.h"
#include "Logging.h"
#include "TaskStore.h"
#include "UserStore.h"
#include "Workspace.h"

#include <QElapsedTimer>
#include <QThread>

#include <utility>

namespace workdeck {

namespace {
constexpr qint64 progressIntervalMs = 50;
} // namespace

BatchImport::BatchImport(Workspace& workspace, QObject* parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_defaultTimeoutMs(TaskSpec::DefaultTimeoutMs)
    , m_calls(new CallQueue(this))
{
}

BatchImport::~BatchImport()
{
    m_cancel = true;
    finishThread();
}

void BatchImport::finishThread()
{
    retireThread();
    for (auto& thread : m_retired)
        thread->wait();
    m_retired.clear();
}

void BatchImport::retireThread()
{
    // The thread has handed over its result and only tidies up now; the window must not wait
    // for that, so it is joined later (or by the destructor).
    std::erase_if(m_retired, [](const std::unique_ptr<QThread>& thread) { return thread->isFinished(); });
    if (m_thread)
        m_retired.push_back(std::move(m_thread));
}

void BatchImport::run(std::function<void()> work)
{
    retireThread();
    m_thread.reset(QThread::create([work = std::move(work)] {
        lowerCurrentThreadPriority();
        work();
    }));
    m_thread->setObjectName(QStringLiteral("BatchImport"));
    m_thread->start();
}

void BatchImport::load(const QString& path)
{
    Q_ASSERT(m_stage != Stage::Loading && m_stage != Stage::Storing);
    m_path = path;
    m_stage = Stage::Loading;
    m_cancel = false;
    m_specs.clear();
    m_summary = {};
    const QString dbPath = m_workspace.database().path();
    const KindRegistry& kinds = m_workspace.kinds();
    const qint64 timeoutMs = m_defaultTimeoutMs;
    run([this, path, dbPath, &kinds, timeoutMs] {
        // A connection of this thread's own: a QSqlDatabase stays in the thread that opened it.
        auto db = Database::open(dbPath);
        if (!db) {
            const Error error = db.error();
            m_calls->post([this, error] { emit failed(error); });
            return;
        }
        UserStore users(**db);
        BatchLoader loader(kinds, [&users](const QString& email) -> std::optional<QString> {
            auto user = users.findByEmail(email);
            return user ? std::optional<QString>(user->id) : std::nullopt;
        });
        QElapsedTimer sinceReport; // invalid until the first report, which goes out at once
        BatchLoadOptions options;
        options.cancel = &m_cancel;
        options.defaultTimeoutMs = timeoutMs;
        options.progress = [this, &sinceReport](const BatchProgress& at) {
            if (sinceReport.isValid() && sinceReport.elapsed() < progressIntervalMs)
                return;
            sinceReport.restart();
            m_calls->post([this, at] { emit progress(at); });
        };
        auto batch = loader.load(path, options);
        db->reset();
        m_calls->post([this, batch = std::move(batch)]() mutable {
            retireThread();
            if (m_cancel) {
                m_stage = Stage::Cancelled;
                emit cancelled();
            } else if (!batch) {
                m_stage = Stage::Failed;
                emit failed(batch.error());
            } else {
                m_specs = std::move(batch->specs);
                m_summary = std::move(batch->summary);
                m_stage = Stage::Loaded;
                emit loaded(m_summary);
            }
        });
    });
}

void BatchImport::store()
{
    Q_ASSERT(m_stage == Stage::Loaded);
    m_stage = Stage::Storing;
    const QString dbPath = m_workspace.database().path();
    const KindRegistry& kinds = m_workspace.kinds();
    run([this, dbPath, &kinds] {
        auto db = Database::open(dbPath);
        Result<void> stored =
            db ? TaskStore(**db, kinds).insert(m_specs, &m_cancel) : Result<void>(db.error());
        if (db)
            db->reset();
        // Queued from here, not from the window's thread: handing a large batch to the pool
        // takes tens of milliseconds. A cancel that came after the last rows were committed is
        // too late: those tasks are queued like any others. Stored tasks that do not reach the
        // pool now are loaded at the next start.
        const auto count = static_cast<qint64>(m_specs.size());
        const TaskId firstId = m_specs.empty() ? 0 : m_specs.front().id;
        const TaskId lastId = m_specs.empty() ? 0 : m_specs.back().id;
        if (stored) {
            // Nothing of this object is touched once queued() is on its way: the window may
            // destroy the import as soon as it has heard it.
            std::vector<TaskSpec> specs = std::exchange(m_specs, {});
            WorkerPool& pool = m_workspace.pool();
            // Said before the tasks reach the pool, so that whatever the window hears of them
            // (they may finish within microseconds) comes after it.
            m_calls->post([this, count, firstId, lastId] {
                retireThread();
                m_firstId = firstId;
                m_lastId = lastId;
                m_stage = Stage::Queued;
                emit queued(count);
            });
            // The pool refuses only once it is shut down, as the application quits; stored
            // tasks are loaded again at the next start.
            if (auto ids = pool.submitBatch(std::move(specs)); !ids)
                qCWarning(lcStorage) << "stored tasks wait for the next start:" << ids.error().message;
            return;
        }
        m_specs = {};
        m_calls->post([this, stored] {
            retireThread();
            m_stage = m_cancel ? Stage::Cancelled : Stage::Failed;
            if (m_cancel)
                emit cancelled();
            else
                emit failed(stored.error());
        });
    });
}

void BatchImport::cancel()
{
    m_cancel = true;
    if (m_stage == Stage::Loaded) {
        m_specs.clear();
        m_stage = Stage::Cancelled;
        emit cancelled();
    }
}

} // namespace workdeck
