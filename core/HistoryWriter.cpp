#include "HistoryWriter.h"

#include "Database.h"
#include "Logging.h"
#include "SqliteStatement.h"

#include <QDeadlineTimer>
#include <QThread>

#include <algorithm>
#include <optional>

namespace workdeck {

namespace {

/// The statements one batch needs, prepared once for the writer's connection.
struct Statements {
    SqliteStatement update;
    SqliteStatement attempt;

    static Result<Statements> prepare(sqlite3* db)
    {
        // A running report keeps the last result; every other change replaces it.
        auto update = SqliteStatement::prepare(
            db, "UPDATE tasks SET state = ?1, attempts = ?2, started_at = coalesce(?3, started_at), "
                "finished_at = ?4, output = CASE WHEN ?5 THEN ?6 ELSE output END, "
                "error = CASE WHEN ?5 THEN ?7 ELSE error END WHERE id = ?8");
        if (!update)
            return update.error();
        auto attempt = SqliteStatement::prepare(
            db, "INSERT INTO attempts(task_id, attempt, worker, started_at, finished_at, state, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!attempt)
            return attempt.error();
        return Statements{std::move(*update), std::move(*attempt)};
    }

    Result<void> write(const TaskEvent& event)
    {
        static const std::array<QByteArray, TaskStateCount> names = [] {
            std::array<QByteArray, TaskStateCount> result;
            for (int i = 0; i < TaskStateCount; ++i)
                result[static_cast<std::size_t>(i)] = stateName(static_cast<TaskState>(i)).toUtf8();
            return result;
        }();
        const QByteArray& state = names[static_cast<std::size_t>(event.state)];
        const bool running = event.state == TaskState::Running;
        update.bindText(1, state);
        update.bind(2, qint64(event.attempts));
        if (event.startedAtMs >= 0)
            update.bind(3, event.startedAtMs);
        else
            update.bindNull(3);
        if (isTerminal(event.state))
            update.bind(4, event.atMs);
        else
            update.bindNull(4);
        update.bind(5, qint64(running ? 0 : 1));
        update.bind(6, event.output.isEmpty() ? QString() : event.output);
        update.bind(7, event.error.isEmpty() ? QString() : event.error);
        update.bind(8, static_cast<qint64>(event.id));
        if (auto done = update.run(); !done)
            return done;
        // The attempt that ended the task successfully is the task row itself; the others are
        // kept here so that every attempt of a retried task can be shown.
        if (event.runMs < 0 || event.state == TaskState::Succeeded)
            return {};
        attempt.bind(1, static_cast<qint64>(event.id));
        attempt.bind(2, qint64(event.attempts));
        attempt.bind(3, qint64(event.worker));
        attempt.bind(4, event.startedAtMs);
        attempt.bind(5, event.startedAtMs + event.runMs);
        attempt.bindText(6, state);
        attempt.bind(7, event.error.isEmpty() ? QString() : event.error);
        return attempt.run();
    }
};

} // namespace

HistoryWriter::HistoryWriter(const Options& options)
    : m_options(options)
{
}

Result<std::unique_ptr<HistoryWriter>> HistoryWriter::start(const QString& path, const Options& options)
{
    std::unique_ptr<HistoryWriter> writer(new HistoryWriter(options));
    HistoryWriter* self = writer.get();
    writer->m_thread.reset(QThread::create([self, path] { self->run(path); }));
    writer->m_thread->setObjectName(QStringLiteral("workdeck-writer"));
    writer->m_thread->start();
    QMutexLocker lock(&writer->m_mutex);
    while (!writer->m_started)
        writer->m_progress.wait(&writer->m_mutex);
    if (!writer->m_error.isEmpty()) {
        Error error{writer->m_error};
        lock.unlock();
        writer->m_thread->wait();
        return error;
    }
    return writer;
}

HistoryWriter::~HistoryWriter()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
}

void HistoryWriter::post(const QList<TaskEvent>& events)
{
    if (events.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    m_queue.append(events);
    m_posted += events.size();
    if (m_queue.size() >= m_options.maxBatch)
        m_wake.wakeAll();
    else if (m_queue.size() == events.size())
        m_wake.wakeAll(); // the first after a quiet spell starts the batch timer
}

Result<void> HistoryWriter::flush()
{
    QMutexLocker lock(&m_mutex);
    const qint64 target = m_posted;
    const qint64 failuresBefore = m_failures;
    ++m_flushWaiters;
    m_wake.wakeAll();
    while (m_committed < target && m_failures == failuresBefore && !m_stopping)
        m_progress.wait(&m_mutex);
    --m_flushWaiters;
    if (m_committed < target)
        return Error{u"task history could not be saved: " + m_error};
    return {};
}

QString HistoryWriter::lastError() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

qint64 HistoryWriter::committed() const
{
    QMutexLocker lock(&m_mutex);
    return m_committed;
}

void HistoryWriter::run(const QString& path)
{
    auto opened = Database::open(path);
    std::optional<Statements> statements;
    if (opened && !m_options.setupSql.isEmpty()) {
        if (auto setup = (*opened)->exec(m_options.setupSql.constData()); !setup)
            opened = setup.error();
    }
    if (opened) {
        auto prepared = Statements::prepare((*opened)->handle());
        if (prepared)
            statements.emplace(std::move(*prepared));
        else
            opened = prepared.error();
    }
    {
        QMutexLocker lock(&m_mutex);
        m_started = true;
        if (!opened)
            m_error = opened.error().message;
        m_progress.wakeAll();
        if (!opened)
            return;
    }
    Database& db = **opened;
    int retryDelayMs = 0;
    QList<TaskEvent> batch;
    for (;;) {
        {
            QMutexLocker lock(&m_mutex);
            while (m_queue.isEmpty() && batch.isEmpty() && !m_stopping)
                m_wake.wait(&m_mutex);
            // Let a batch gather, unless it is already large or someone waits for it; after a
            // failure, wait out the retry delay whatever happens, short of stopping.
            const bool retrying = !batch.isEmpty();
            QDeadlineTimer gather(retrying ? retryDelayMs : m_options.intervalMs);
            while (!m_stopping && !gather.hasExpired() &&
                   (retrying || (m_flushWaiters == 0 && m_queue.size() < m_options.maxBatch))) {
                if (!m_wake.wait(&m_mutex, gather))
                    break;
            }
            if (m_stopping && m_queue.isEmpty() && batch.isEmpty())
                return;
            batch.append(std::move(m_queue));
            m_queue = {};
        }
        auto written = db.write([&]() -> Result<void> {
            for (const TaskEvent& event : std::as_const(batch)) {
                if (auto done = statements->write(event); !done)
                    return done;
            }
            return {};
        });
        QMutexLocker lock(&m_mutex);
        if (written) {
            m_committed += batch.size();
            batch.clear();
            m_error.clear();
            retryDelayMs = 0;
        } else {
            ++m_failures;
            if (m_error != written.error().message) // once per streak, not once per retry
                qCWarning(lcStorage) << "could not save" << batch.size()
                                     << "task change(s):" << written.error().message;
            m_error = written.error().message;
            retryDelayMs = std::min(5000, std::max(100, retryDelayMs * 2));
            if (m_stopping) {
                m_progress.wakeAll();
                return; // nothing more can be done; what was committed before stays
            }
        }
        m_progress.wakeAll();
    }
}

} // namespace workdeck
