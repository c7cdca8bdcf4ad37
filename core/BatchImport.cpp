#include "BatchImport.h"

#include "Database.h"
#include "TaskStore.h"
#include "UserStore.h"
#include "Workspace.h"

#include <QElapsedTimer>
#include <QThread>

namespace workdeck {

namespace {
constexpr qint64 progressIntervalMs = 50;
} // namespace

BatchImport::BatchImport(Workspace& workspace, QObject* parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_defaultTimeoutMs(TaskSpec::DefaultTimeoutMs)
{
}

BatchImport::~BatchImport()
{
    m_cancel = true;
    finishThread();
}

void BatchImport::finishThread()
{
    if (m_thread) {
        m_thread->wait();
        m_thread.reset();
    }
}

void BatchImport::run(std::function<void()> work)
{
    finishThread();
    m_thread.reset(QThread::create(std::move(work)));
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
            QMetaObject::invokeMethod(
                this, [this, error] { emit failed(error); }, Qt::QueuedConnection);
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
            QMetaObject::invokeMethod(
                this, [this, at] { emit progress(at); }, Qt::QueuedConnection);
        };
        auto batch = loader.load(path, options);
        db->reset();
        QMetaObject::invokeMethod(
            this,
            [this, batch = std::move(batch)]() mutable {
                finishThread();
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
            },
            Qt::QueuedConnection);
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
        QMetaObject::invokeMethod(
            this,
            [this, stored] {
                finishThread();
                if (!stored) {
                    // A cancel that came after the last rows were committed is too late: those
                    // tasks are queued like any others.
                    m_specs.clear();
                    m_stage = m_cancel ? Stage::Cancelled : Stage::Failed;
                    if (m_cancel)
                        emit cancelled();
                    else
                        emit failed(stored.error());
                    return;
                }
                const auto count = static_cast<qint64>(m_specs.size());
                m_firstId = m_specs.empty() ? 0 : m_specs.front().id;
                m_lastId = m_specs.empty() ? 0 : m_specs.back().id;
                // Stored tasks that do not reach the pool now are loaded at the next start.
                auto ids = m_workspace.pool().submitBatch(std::move(m_specs));
                m_specs.clear();
                if (!ids) {
                    m_stage = Stage::Failed;
                    emit failed(ids.error());
                    return;
                }
                m_stage = Stage::Queued;
                emit queued(count);
            },
            Qt::QueuedConnection);
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
