#pragma once

#include <QCoreApplication>
#include <QString>

class QWidget;

namespace workdeck {

/// Every file dialog of the window goes through here, so that tests can answer it in advance
/// (KeePassXC's setNextFileName). Dialogs start in the folder the person last chose one in, and
/// remember the new one (QSettings key "dialogs/lastFolder"). UI thread only.
class FileDialogs {
    Q_DECLARE_TR_FUNCTIONS(FileDialogs)

public:
    /// A task batch to load: "Task batches (*.jsonl *.ndjson *.json *.csv)". Empty if cancelled.
    static QString openBatchFile(QWidget* parent);
    static QString openFile(QWidget* parent, const QString& title, const QString& filter = {});
    static QString openDirectory(QWidget* parent, const QString& title);
    /// `suggestedName` without a folder is offered in the last folder.
    static QString saveFile(QWidget* parent, const QString& title, const QString& suggestedName,
                            const QString& filter);

    /// Tests: the next dialog returns `answer` without opening ("" means the person cancelled).
    /// Each call queues one more answer; each dialog consumes the oldest.
    static void setNextAnswer(const QString& answer);
    /// Tests: forgets answers that no dialog consumed, so they cannot leak into the next test.
    static void clearNextAnswers();
    /// Tests: how many queued answers are still waiting for a dialog.
    static int pendingAnswers();
};

} // namespace workdeck
