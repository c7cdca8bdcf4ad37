#pragma once

#include "AppSettings.h"
#include "TaskEvent.h"
#include "WorkerPool.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QLabel;
class QSpinBox;
class QTabWidget;

namespace workdeck {

class BatchImportDialog;
class BatchSummary;
class DashboardPage;
class FailureNotices;
class Notifier;
class RecoveryBanner;
class SearchIndexer;
class TasksPage;
class UsersPage;
class Workspace;

/// The main window (SPEC S4): toolbar, File menu, the Dashboard, Tasks and Users pages, and
/// a status bar with the database and the totals.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    enum Page { Dashboard, Tasks, Users };

    MainWindow(Workspace& workspace, const AppSettings& settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Imports a batch file as File ▸ Load Task Batch does once a file is chosen.
    void importBatch(const QString& path);
    void showPage(Page page);
    const AppSettings& settings() const { return m_settings; }
    /// Applies new settings to the pool and the forms and remembers them.
    void applySettings(const AppSettings& settings);
    Notifier& notifier() { return *m_notifier; }

    void loadBatch();
    void addTask();
    void addUser();
    void openSettings();
    void exportDashboard();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createStatusBar();
    void setPaused(bool paused);
    void onTasksChanged(const QList<workdeck::TaskEvent>& events);
    void onImported(const QString& path, const BatchSummary& summary, TaskId firstId, TaskId lastId);
    void countBatchTask(const TaskEvent& event);
    /// New tasks were stored: the list and the search index take them in.
    void tasksAdded();
    /// The status bar's totals, on each statistics sample.
    void showTotals();

    Workspace& m_workspace;
    AppSettings m_settings;
    QTabWidget* m_pages = nullptr;
    DashboardPage* m_dashboard = nullptr;
    TasksPage* m_tasks = nullptr;
    UsersPage* m_users = nullptr;
    Notifier* m_notifier = nullptr;
    FailureNotices* m_failures = nullptr;
    RecoveryBanner* m_banner = nullptr;
    std::unique_ptr<SearchIndexer> m_indexer;
    QAction* m_pause = nullptr;
    QSpinBox* m_workers = nullptr;
    QLabel* m_totals = nullptr;
    QLabel* m_databasePath = nullptr;
    QPointer<BatchImportDialog> m_import;
    // Totals stored before this window's pool started, so the status bar counts every task.
    qint64 m_storedSucceeded = 0;
    qint64 m_storedFailed = 0;
    qint64 m_storedCancelled = 0;
    // Imported batches whose end is announced when their last task finishes.
    struct RunningBatch {
        QString name;
        TaskId firstId = 0;
        TaskId lastId = 0;
        qint64 remaining = 0;
        qint64 succeeded = 0;
        qint64 failed = 0;
        qint64 cancelled = 0;
    };
    QList<RunningBatch> m_batches;
};

} // namespace workdeck
