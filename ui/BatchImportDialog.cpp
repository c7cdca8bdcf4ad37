#include "BatchImportDialog.h"

#include "BatchImport.h"
#include "MessageBoxes.h"

#include <QFileInfo>
#include <QLocale>

namespace workdeck {

namespace {
constexpr int ProgressSteps = 1000;
} // namespace

BatchImportDialog::BatchImportDialog(Workspace& workspace, qint64 defaultTimeoutMs, QWidget* parent)
    : QProgressDialog(parent)
    , m_import(new BatchImport(workspace, this))
{
    setWindowTitle(tr("Load Task Batch"));
    setObjectName(QStringLiteral("batchImportDialog"));
    setWindowModality(Qt::WindowModal);
    setMinimumDuration(300); // a small file is done before a dialog would flash up
    setAutoClose(false);
    setAutoReset(false);
    setMinimumWidth(420);
    m_import->setDefaultTimeoutMs(defaultTimeoutMs);

    // QProgressDialog hides itself on Cancel; the import decides when it is over.
    disconnect(this, &QProgressDialog::canceled, this, &QProgressDialog::cancel);
    connect(this, &QProgressDialog::canceled, this, &BatchImportDialog::onCancelRequested);
    connect(m_import, &BatchImport::progress, this, [this](const BatchProgress& at) {
        if (at.bytesTotal > 0)
            setValue(static_cast<int>(at.bytesRead * ProgressSteps / at.bytesTotal));
        setLabelText(tr("Reading %1…\n%2 tasks checked")
                         .arg(QFileInfo(m_import->path()).fileName(), QLocale().toString(at.records)));
    });
    connect(m_import, &BatchImport::loaded, this, &BatchImportDialog::onLoaded);
    connect(m_import, &BatchImport::failed, this, &BatchImportDialog::onFailed);
    connect(m_import, &BatchImport::cancelled, this, [this] {
        finish();
        emit notImported(m_import->path());
    });
    connect(m_import, &BatchImport::queued, this, [this] {
        finish();
        emit imported(m_import->path(), m_import->summary(), m_import->firstId(), m_import->lastId());
    });
}

BatchImportDialog::~BatchImportDialog() = default;

void BatchImportDialog::start(const QString& path)
{
    m_storing = false;
    setRange(0, ProgressSteps);
    setValue(0);
    setCancelButtonText(tr("Cancel"));
    setLabelText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    m_import->load(path);
}

void BatchImportDialog::onLoaded(const BatchSummary& summary)
{
    const QString name = QFileInfo(m_import->path()).fileName();
    if (summary.runsCommands()) {
        // SPEC S3: what a batch would run is shown before anything is queued.
        finish();
        const bool go = MessageBoxes::confirm(
            parentWidget(), tr("Queue %1?").arg(name),
            tr("%1 runs programs on this computer. Check the list before queueing it.").arg(name),
            tr("Queue %n Task(s)", nullptr, static_cast<int>(std::min<qint64>(summary.tasks(), INT_MAX))),
            summary.text());
        if (!go) {
            m_import->cancel();
            return;
        }
        show();
    }
    m_storing = true;
    setRange(0, 0); // storing reports no steps
    setLabelText(tr("Queueing %1 tasks from %2…").arg(QLocale().toString(summary.tasks()), name));
    m_import->store();
}

void BatchImportDialog::finish()
{
    hide();
    reset(); // also stops the timer that would show the dialog after minimumDuration
}

void BatchImportDialog::onFailed(const Error& error)
{
    finish();
    const QString name = QFileInfo(m_import->path()).fileName();
    if (error.invalidInput)
        MessageBoxes::error(parentWidget(), tr("%1 was not imported").arg(name),
                            tr("%1 has problems, so none of its tasks were queued. Fix the lines below and "
                               "load the file again.")
                                .arg(name),
                            error.message);
    else
        MessageBoxes::error(parentWidget(), tr("%1 was not imported").arg(name),
                            tr("None of the tasks in %1 were queued.").arg(name), error.message);
    emit notImported(m_import->path());
}

void BatchImportDialog::onCancelRequested()
{
    setLabelText(m_storing ? tr("Cancelling; nothing will be queued…") : tr("Cancelling…"));
    setCancelButtonText(QString()); // hides the button: one request is enough
    m_import->cancel();
}

} // namespace workdeck
