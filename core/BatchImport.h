#pragma once

#include "BatchLoader.h"
#include "Result.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace workdeck {

class CallQueue;
class Workspace;

/// Imports a batch file without blocking the thread it lives in (SPEC S3): the file is read
/// and validated on a thread of its own, the caller sees the summary, and only when asked to
/// store() are the tasks written (on that thread again, through its own database connection)
/// and then queued. Cancel at any point imports nothing.
class BatchImport : public QObject {
    Q_OBJECT

public:
    enum class Stage { Idle, Loading, Loaded, Storing, Queued, Failed, Cancelled };

    explicit BatchImport(Workspace& workspace, QObject* parent = nullptr);
    /// Cancels what is under way and waits for its thread.
    ~BatchImport() override;

    /// The timeout of tasks whose record names none.
    void setDefaultTimeoutMs(qint64 timeoutMs) { m_defaultTimeoutMs = timeoutMs; }
    /// Starts reading `path`; loaded(), failed() or cancelled() follows.
    void load(const QString& path);
    /// After loaded(): stores the tasks, then queues them; queued(), failed() or cancelled()
    /// follows.
    void store();
    /// Stops loading or storing; nothing is imported. After loaded(), discards the batch.
    void cancel();

    Stage stage() const { return m_stage; }
    const QString& path() const { return m_path; }
    /// What the loaded batch holds (valid from loaded() on).
    const BatchSummary& summary() const { return m_summary; }
    /// The ids the queued tasks got, a consecutive range (valid from queued() on).
    TaskId firstId() const { return m_firstId; }
    TaskId lastId() const { return m_lastId; }

signals:
    /// How far loading has come, at most every 50 ms.
    void progress(const workdeck::BatchProgress& progress);
    void loaded(const workdeck::BatchSummary& summary);
    /// The tasks are stored and being handed to the pool; the pool tells nothing of them
    /// before this.
    void queued(qint64 tasks);
    /// The file was rejected (the message lists its problems) or storing failed.
    void failed(const workdeck::Error& error);
    void cancelled();

private:
    void run(std::function<void()> work);
    /// Waits for every thread this import started.
    void finishThread();
    /// Lets the current thread finish on its own; it is joined later.
    void retireThread();

    Workspace& m_workspace;
    qint64 m_defaultTimeoutMs;
    CallQueue* m_calls; ///< what the loading and storing threads hand back to this one
    QString m_path;
    Stage m_stage = Stage::Idle;
    BatchSummary m_summary;
    std::vector<TaskSpec> m_specs;
    TaskId m_firstId = 0;
    TaskId m_lastId = 0;
    std::atomic_bool m_cancel = false;
    std::unique_ptr<QThread> m_thread;
    std::vector<std::unique_ptr<QThread>> m_retired;
};

} // namespace workdeck

Q_DECLARE_METATYPE(workdeck::BatchProgress)
