#pragma once

#include "TaskState.h"

#include <QProgressDialog>

namespace workdeck {

class BatchImport;
class BatchSummary;
class Workspace;
struct Error;

/// File ▸ Load Task Batch after the file is chosen: reads it in the background behind a
/// progress dialog with Cancel, shows the summary and asks before queueing a batch that runs
/// programs (SPEC S3), and lists the problems of a rejected file.
class BatchImportDialog : public QProgressDialog {
    Q_OBJECT

public:
    BatchImportDialog(Workspace& workspace, qint64 defaultTimeoutMs, QWidget* parent = nullptr);
    ~BatchImportDialog() override;

    /// Starts importing `path`; imported() or notImported() follows.
    void start(const QString& path);

signals:
    /// The batch is stored and queued as the tasks `firstId` to `lastId`; `summary` says what
    /// it held.
    void imported(const QString& path, const workdeck::BatchSummary& summary, workdeck::TaskId firstId,
                  workdeck::TaskId lastId);
    /// Nothing was imported: rejected, failed or cancelled.
    void notImported(const QString& path);

private:
    void finish();
    void onLoaded(const BatchSummary& summary);
    void onFailed(const Error& error);
    void onCancelRequested();

    BatchImport* m_import;
    bool m_storing = false;
};

} // namespace workdeck
