#include "FileDialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QStringList>

#include <optional>

namespace workdeck {

namespace {

const QString lastFolderKey = QStringLiteral("dialogs/lastFolder");

// A plain static list, not thread-safe: dialogs only ever open on the UI thread.
QStringList& answers()
{
    static QStringList queued;
    return queued;
}

std::optional<QString> takeAnswer()
{
    if (answers().isEmpty())
        return std::nullopt;
    return answers().takeFirst();
}

QString lastFolder()
{
    const QString folder = QSettings().value(lastFolderKey).toString();
    if (!folder.isEmpty() && QFileInfo(folder).isDir())
        return folder;
    // Not the working directory, which for an application started from a menu is "/" or $HOME
    // by accident rather than by choice.
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

void rememberFolder(const QString& folder)
{
    if (!folder.isEmpty())
        QSettings().setValue(lastFolderKey, folder);
}

// A cancelled dialog leaves the remembered folder alone.
QString rememberFolderOf(const QString& file)
{
    if (!file.isEmpty())
        rememberFolder(QFileInfo(file).absolutePath());
    return file;
}

} // namespace

QString FileDialogs::openBatchFile(QWidget* parent)
{
    return openFile(parent, tr("Load Task Batch"),
                    tr("Task batches (*.jsonl *.ndjson *.json *.csv)") + u";;" + tr("All files (*)"));
}

QString FileDialogs::openFile(QWidget* parent, const QString& title, const QString& filter)
{
    if (auto answer = takeAnswer())
        return rememberFolderOf(*answer);
    return rememberFolderOf(QFileDialog::getOpenFileName(parent, title, lastFolder(), filter));
}

QString FileDialogs::openDirectory(QWidget* parent, const QString& title)
{
    QString folder;
    if (auto answer = takeAnswer())
        folder = *answer;
    else
        folder = QFileDialog::getExistingDirectory(parent, title, lastFolder());
    rememberFolder(folder);
    return folder;
}

QString FileDialogs::saveFile(QWidget* parent, const QString& title, const QString& suggestedName,
                              const QString& filter)
{
    if (auto answer = takeAnswer())
        return rememberFolderOf(*answer);
    const QString suggested =
        QFileInfo(suggestedName).isAbsolute() ? suggestedName : QDir(lastFolder()).filePath(suggestedName);
    return rememberFolderOf(QFileDialog::getSaveFileName(parent, title, suggested, filter));
}

void FileDialogs::setNextAnswer(const QString& answer)
{
    answers().append(answer);
}

void FileDialogs::clearNextAnswers()
{
    answers().clear();
}

int FileDialogs::pendingAnswers()
{
    return static_cast<int>(answers().size());
}

} // namespace workdeck
