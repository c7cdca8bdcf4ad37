#pragma once

#include "Workspace.h"

#include <QObject>
#include <QString>

#include <cstdio>
#include <optional>

namespace workdeck {

/// What `workdeck --headless` reports on stdout (SPEC S5): counts of tasks that reached each
/// state during this run.
struct HeadlessSummary {
    qint64 imported = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 elapsedMs = 0;

    QByteArray toJson() const;
};

/// `workdeck --headless`: imports a batch file if given, runs every pending task until none
/// is pending, retrying or running, and finishes with the summary and the exit status:
/// 0 all succeeded, 1 some failed or were cancelled (or the run was interrupted),
/// 2 invalid input (nothing imported), 3 database or runtime error.
class HeadlessRun : public QObject {
    Q_OBJECT

public:
    enum ExitCode { AllSucceeded = 0, SomeFailed = 1, InvalidInput = 2, RuntimeError = 3 };

    HeadlessRun(Workspace& workspace, QString batchPath, std::FILE* out = stdout, std::FILE* err = stderr);

    /// Validates and imports the batch, then starts the pool. finished() follows, through the
    /// event loop, in every case.
    void start();
    /// Stops as Quit does: running tasks get their grace period, the rest stay pending.
    void quit();
    const HeadlessSummary& summary() const { return m_summary; }

signals:
    void finished(int exitCode);

private:
    void count(const QList<TaskEvent>& events);
    /// `Completed` lets the counts decide between AllSucceeded and SomeFailed.
    void finish(int exitCode);
    static constexpr int Completed = -1;

    Workspace& m_workspace;
    const QString m_batchPath;
    std::FILE* m_out;
    std::FILE* m_err;
    HeadlessSummary m_summary;
    qint64 m_startedMs = 0;
    bool m_interrupted = false;
    bool m_finished = false;
};

} // namespace workdeck
