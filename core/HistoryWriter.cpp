#include "HistoryWriter.h"

#include "BackgroundPriority.h"
#include "Database.h"
#include "HistoryBatchTable.h"
#include "Logging.h"
#include "SqliteStatement.h"

#include <QDeadlineTimer>
#include <QStringEncoder>
#include <QThread>

#include <sqlite3.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <vector>

namespace workdeck {

namespace {

// SQLite's own automatic checkpoint threshold: past this many WAL frames the log is copied back.
constexpr int CheckpointFrames = 1000;
// If the background checkpoints cannot keep up (a burst that never lets the log restart, or a
// reader that pins it), the writer waits for one itself rather than let the log grow forever.
constexpr int MaxWalFrames = 64 * 1024;

/// Copies the write-ahead log back into the database file from a thread and connection of its
/// own. With SQLite's automatic checkpoint the writer would do it inside the commit that crosses
/// the threshold, waiting for the copy and its fsync before it can take the next batch; here the
/// two overlap. A committed batch is as safe either way: it is in the log (SPEC S6), and any
/// connection reads it from there until the copy is done.
class Checkpointer {
public:
    static Result<std::unique_ptr<Checkpointer>> start(const QString& path)
    {
        std::unique_ptr<Checkpointer> checkpointer(new Checkpointer);
        Checkpointer* self = checkpointer.get();
        if (auto started =
                checkpointer->m_thread.start(QStringLiteral("workdeck-checkpoint"), QThread::InheritPriority,
                                             [self, path] { self->run(path); });
            !started)
            return started.error();
        return checkpointer;
    }

    ~Checkpointer()
    {
        {
            QMutexLocker lock(&m_mutex);
            m_stopping = true;
            m_wake.wakeAll();
        }
        m_thread.wait();
    }
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    /// Asks for a checkpoint; one already under way takes this request with it when it ends.
    void request()
    {
        QMutexLocker lock(&m_mutex);
        m_requested = true;
        m_wake.wakeAll();
    }

private:
    Checkpointer() = default;

    void run(const QString& path)
    {
        lowerCurrentThreadPriority();
        auto opened = Database::open(path);
        m_thread.opened(opened ? QString() : opened.error().message);
        if (!opened)
            return;
        sqlite3* db = (*opened)->handle();
        for (;;) {
            {
                QMutexLocker lock(&m_mutex);
                while (!m_requested && !m_stopping)
                    m_wake.wait(&m_mutex);
                if (m_stopping)
                    return; // closing the last connection checkpoints whatever is left
                m_requested = false;
            }
            // PASSIVE never waits for the writer or a reader; what it cannot copy now, the
            // next one will. A failure loses nothing (the frames stay in the log), so it is
            // only worth a debug line.
            const int code =
                sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            if (code != SQLITE_OK && code != SQLITE_BUSY)
                qCDebug(lcStorage) << "background checkpoint failed:" << sqliteProblem(db, code);
        }
    }

    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    ConnectionThread m_thread;
};

/// The last state of one task in a batch: what its row must hold once the batch is written.
struct RowChange {
    const TaskEvent* last = nullptr;   ///< state, attempts and finish time
    const TaskEvent* result = nullptr; ///< output and error; null when only running reports
    qint64 startedAtMs = -1;           ///< the latest start reported, or -1 to keep the stored one
};

/// The statements one batch needs, prepared once for the writer's connection.
struct Statements {
    std::unique_ptr<HistoryBatchTable> rows; ///< the batch's task rows, as the update reads them
    SqliteStatement update;
    SqliteStatement attempt;
    QStringEncoder utf8{QStringEncoder::Utf8};
    QByteArray text; ///< encoding buffer, reused so that binding allocates nothing

    static Result<Statements> prepare(sqlite3* db)
    {
        auto rows = HistoryBatchTable::install(db);
        if (!rows)
            return rows.error();
        auto update = SqliteStatement::prepare(db, HistoryBatchTable::UpdateSql);
        if (!update)
            return update.error();
        auto attempt = SqliteStatement::prepare(
            db, "INSERT INTO attempts(task_id, attempt, worker, started_at, finished_at, state, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!attempt)
            return attempt.error();
        return Statements{std::move(*rows),
                          std::move(*update),
                          std::move(*attempt),
                          QStringEncoder(QStringEncoder::Utf8),
                          {}};
    }

    /// Binds `value` as UTF-8, the database's encoding, or NULL when it is empty.
    void bindText(SqliteStatement& statement, int index, const QString& value)
    {
        if (value.isEmpty()) {
            statement.bindNull(index);
            return;
        }
        text.resize(value.size() * 3);
        const char* end = utf8.appendToBuffer(text.data(), value);
        statement.bindText(index, {text.constData(), end - text.constData()});
    }

    /// Writes a batch: one row per task, however many changes it went through, all in one
    /// statement, and one attempts row per attempt that ended without succeeding.
    ///
    /// A task usually goes pending → running → succeeded within one batch; its row and its
    /// entry in the pending index are written once, with the end result, instead of once per
    /// change. Rows are visited in id order, which keeps the B-tree pages they share together.
    Result<void> write(const QList<TaskEvent>& batch)
    {
        std::vector<qsizetype> order(static_cast<std::size_t>(batch.size()));
        std::iota(order.begin(), order.end(), qsizetype(0));
        const auto byTask = [&batch](qsizetype a, qsizetype b) { return batch[a].id < batch[b].id; };
        if (!std::is_sorted(order.begin(), order.end(), byTask))
            std::stable_sort(order.begin(), order.end(), byTask); // a task's changes keep their order

        rows->clear(order.size());
        for (auto first = order.cbegin(); first != order.cend();) {
            const TaskId id = batch[*first].id;
            RowChange row;
            auto next = first;
            for (; next != order.cend() && batch[*next].id == id; ++next) {
                const TaskEvent& event = batch[*next];
                row.last = &event;
                if (event.state != TaskState::Running)
                    row.result = &event;
                if (event.startedAtMs >= 0)
                    row.startedAtMs = event.startedAtMs;
                if (auto done = writeAttempt(event); !done)
                    return done;
            }
            addRow(id, row);
            first = next;
        }
        return update.run();
    }

    void addRow(TaskId id, const RowChange& row)
    {
        HistoryBatchTable::Row values;
        values.id = id;
        values.state = row.last->state;
        values.attempts = row.last->attempts;
        values.startedAtMs = row.startedAtMs;
        values.finishedAtMs = isTerminal(row.last->state) ? row.last->atMs : -1;
        values.hasResult = row.result != nullptr;
        rows->append(values, row.result ? row.result->output : QString(),
                     row.result ? row.result->error : QString());
    }

    Result<void> writeAttempt(const TaskEvent& event)
    {
        // The attempt that ended the task successfully is the task row itself; the others are
        // kept here so that every attempt of a retried task can be shown.
        if (event.runMs < 0 || event.state == TaskState::Succeeded)
            return {};
        attempt.bind(1, static_cast<qint64>(event.id));
        attempt.bind(2, qint64(event.attempts));
        attempt.bind(3, qint64(event.worker));
        attempt.bind(4, event.startedAtMs);
        attempt.bind(5, event.startedAtMs + event.runMs);
        attempt.bindText(6, stateNameUtf8(event.state));
        bindText(attempt, 7, event.error);
        return attempt.run();
    }
};

/// Copies the whole log back and lets the next commit start it afresh, waiting (up to the busy
/// timeout) for readers that still use it. Returns why it could not, or an empty string.
QString checkpointNow(sqlite3* db)
{
    const int code = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    return code == SQLITE_OK || code == SQLITE_BUSY ? QString() : sqliteProblem(db, code);
}

/// Called by SQLite after each commit of the writer's connection with the log's length.
int onWalCommit(void* frames, sqlite3*, const char*, int count)
{
    *static_cast<int*>(frames) = count;
    return SQLITE_OK;
}

} // namespace

HistoryWriter::HistoryWriter(const Options& options)
    : m_options(options)
{
}

Result<std::unique_ptr<HistoryWriter>> HistoryWriter::start(const QString& path, const Options& options)
{
    std::unique_ptr<HistoryWriter> writer(new HistoryWriter(options));
    HistoryWriter* self = writer.get();
    if (auto started = writer->m_thread.start(QStringLiteral("workdeck-writer"), QThread::InheritPriority,
                                              [self, path] { self->run(path); });
        !started)
        return started.error();
    return writer;
}

HistoryWriter::~HistoryWriter()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread.wait();
}

void HistoryWriter::post(const QList<TaskEvent>& events)
{
    if (events.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    if (m_queue.isEmpty())
        m_queue = events; // shares the list instead of copying its events
    else
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

qint64 HistoryWriter::posted() const
{
    QMutexLocker lock(&m_mutex);
    return m_posted;
}

qint64 HistoryWriter::committed() const
{
    QMutexLocker lock(&m_mutex);
    return m_committed;
}

void HistoryWriter::run(const QString& path)
{
    lowerCurrentThreadPriority();
    int walFrames = 0; // set by onWalCommit; declared first as it must outlive the connection
    auto opened = Database::open(path);
    std::optional<Statements> statements;
    // The writer visits each batch's rows once, in id order, so it needs few pages at a time:
    // a small cache is recycled while it is still in the CPU's caches, where the 64 MiB that
    // readers get would be fresh memory to fault in page by page. Measured in bench_storage:
    // 0.76x the raw insert rate with 2 MiB against 0.51x with 64 MiB (medians of three runs).
    if (opened) {
        if (auto cache = (*opened)->exec("PRAGMA cache_size = -2048"); !cache)
            opened = cache.error();
    }
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
    m_thread.opened(opened ? QString() : opened.error().message);
    if (!opened)
        return;
    Database& db = **opened;
    // Without a checkpoint thread the writer keeps SQLite's automatic checkpoint, so the log
    // still gets copied back, only on the writer's time.
    std::unique_ptr<Checkpointer> checkpointer;
    if (auto started = Checkpointer::start(path))
        checkpointer = std::move(*started);
    else
        qCWarning(lcStorage) << "checkpoints stay on the writer:" << started.error().message;
    if (checkpointer)
        sqlite3_wal_hook(db.handle(), onWalCommit, &walFrames);
    QString checkpointProblem;
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
            if (batch.isEmpty())
                batch.swap(m_queue);
            else
                batch.append(std::move(m_queue));
            m_queue = {};
        }
        auto written = db.write([&] { return statements->write(batch); });
        if (written && checkpointer) {
            if (walFrames >= MaxWalFrames) {
                QString problem = checkpointNow(db.handle());
                if (!problem.isEmpty() && problem != checkpointProblem) // once per streak
                    qCWarning(lcStorage) << "the database log could not be copied back:" << problem;
                checkpointProblem = std::move(problem);
            } else if (walFrames >= CheckpointFrames) {
                checkpointer->request();
            }
        }
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
