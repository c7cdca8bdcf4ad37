#include "HeadlessRun.h"

#include "BatchLoader.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace workdeck {

QByteArray HeadlessSummary::toJson() const
{
    // Written by hand to keep the key order of SPEC S5; every value is a number.
    return "{\"imported\":" + QByteArray::number(imported) +
           ",\"succeeded\":" + QByteArray::number(succeeded) + ",\"failed\":" + QByteArray::number(failed) +
           ",\"cancelled\":" + QByteArray::number(cancelled) +
           ",\"elapsed_ms\":" + QByteArray::number(elapsedMs) + '}';
}

HeadlessRun::HeadlessRun(Workspace& workspace, QString batchPath, std::FILE* out, std::FILE* err)
    : m_workspace(workspace)
    , m_batchPath(std::move(batchPath))
    , m_out(out)
    , m_err(err)
{
    connect(&m_workspace.pool(), &WorkerPool::tasksChanged, this, &HeadlessRun::count);
    connect(&m_workspace.pool(), &WorkerPool::idle, this, [this] {
        if (!m_interrupted)
            finish(Completed);
    });
    connect(&m_workspace, &Workspace::storageProblem, this,
            [this](const QString& message) { std::fprintf(m_err, "workdeck: %s\n", qPrintable(message)); });
}

void HeadlessRun::start()
{
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    const auto fail = [this](int code, const QString& message) {
        std::fprintf(m_err, "%s\n", qPrintable(message));
        QTimer::singleShot(0, this, [this, code] { finish(code); });
    };
    std::vector<TaskSpec> batch;
    if (!m_batchPath.isEmpty()) {
        BatchLoader loader(m_workspace.kinds(),
                           [this](const QString& email) { return m_workspace.userIdByEmail(email); });
        auto loaded = loader.load(m_batchPath);
        if (!loaded)
            return fail(InvalidInput, loaded.error().message);
        std::fprintf(m_err, "workdeck: %s\n%s\n", qPrintable(m_batchPath),
                     qPrintable(loaded->summary.text()));
        batch = std::move(loaded->specs);
    }
    auto started = m_workspace.start();
    if (!started)
        return fail(RuntimeError, u"workdeck: " + started.error().message);
    m_summary.failed += started->failed; // reached failed in this run, at its start
    if (!batch.empty()) {
        const auto count = static_cast<qint64>(batch.size());
        if (auto queued = m_workspace.queue(std::move(batch)); !queued)
            return fail(RuntimeError, u"workdeck: importing the batch failed, nothing was imported: " +
                                          queued.error().message);
        m_summary.imported = count;
    }
    if (m_workspace.pool().isIdle())
        QTimer::singleShot(0, this, [this] { finish(Completed); });
}

void HeadlessRun::quit()
{
    if (m_finished || m_interrupted)
        return;
    m_interrupted = true;
    std::fprintf(m_err, "workdeck: stopping; running tasks get their grace period, the rest stay pending\n");
    finish(SomeFailed);
}

void HeadlessRun::count(const QList<TaskEvent>& events)
{
    for (const TaskEvent& event : events) {
        switch (event.state) {
        case TaskState::Succeeded:
            ++m_summary.succeeded;
            break;
        case TaskState::Failed:
            ++m_summary.failed;
            break;
        case TaskState::Cancelled:
            ++m_summary.cancelled;
            break;
        case TaskState::Pending:
        case TaskState::Running:
        case TaskState::Retrying:
            break;
        }
    }
}

void HeadlessRun::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    const auto closed = m_workspace.close();
    // Decided only now: closing delivers the last state changes, which may be failures.
    if (exitCode == Completed)
        exitCode = m_summary.failed + m_summary.cancelled > 0 ? SomeFailed : AllSucceeded;
    if (!closed) {
        std::fprintf(m_err, "workdeck: %s\n", qPrintable(closed.error().message));
        if (exitCode != InvalidInput)
            exitCode = RuntimeError;
    }
    if (exitCode != InvalidInput) {
        m_summary.elapsedMs = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
        std::fprintf(m_out, "%s\n", m_summary.toJson().constData());
        std::fflush(m_out);
    }
    emit finished(exitCode);
}

} // namespace workdeck
