#pragma once

#include "Result.h"
#include "TaskFilter.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace workdeck {

class Database;

/// Writes the tasks matching a filter to a CSV file (RFC 4180, UTF-8, times in ISO 8601 UTC),
/// from a thread and connection of its own, with progress and cancel. The file appears only
/// when it is complete: a failed or cancelled export leaves whatever was there before.
class TaskCsvExport : public QObject {
    Q_OBJECT

public:
    static const QStringList Header;

    explicit TaskCsvExport(QString databasePath, QObject* parent = nullptr);
    /// Cancels and waits for a running export.
    ~TaskCsvExport() override;

    /// Starts writing the tasks of `filter`, in `sort` order, to `target`.
    void start(const QString& target, const TaskFilter& filter, const TaskSort& sort);
    void cancel() { m_cancel = true; }
    bool isRunning() const;

    /// The export itself, on the calling thread: returns how many tasks were written.
    /// `progress` is told the count every few thousand rows; `cancel` is checked as often.
    static Result<qint64> write(Database& db, const QString& target, const TaskFilter& filter,
                                const TaskSort& sort, const std::function<void(qint64)>& progress = {},
                                const std::atomic_bool* cancel = nullptr);

signals:
    void progress(qint64 rows);
    void finished(qint64 rows);
    void failed(const QString& message);
    void cancelled();

private:
    void finishThread();

    QString m_databasePath;
    std::atomic_bool m_cancel{false};
    std::unique_ptr<QThread> m_thread;
};

} // namespace workdeck
