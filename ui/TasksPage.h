#pragma once

#include "TaskEvent.h"
#include "TaskFilter.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressDialog;
class QTableView;
class QTimer;

namespace workdeck {

class TaskCsvExport;
class TaskDetailView;
class TaskListModel;
class Workspace;

/// The Tasks page (SPEC S4): every task of the history, filtered by state, kind, user and
/// full-text search, sortable, with a detail pane, actions on the selected tasks or on all that
/// match the filter, and export to CSV.
class TasksPage : public QWidget {
    Q_OBJECT

public:
    explicit TasksPage(Workspace& workspace, QWidget* parent = nullptr);
    ~TasksPage() override;

    TaskListModel& model() { return *m_model; }
    QTableView& view() { return *m_view; }
    TaskDetailView& detail() { return *m_detail; }
    /// Reads the list again from the top.
    void reload();
    /// A batch of state changes from the pool: the list and the detail pane follow them.
    void apply(const QList<workdeck::TaskEvent>& events);
    /// New tasks were stored: they are read now if the page is shown, else when it is shown.
    void tasksAdded();
    /// Shows only the tasks of this user (empty: everybody's).
    void filterByUser(const QString& email);
    /// Shows only these tasks, e.g. the ones recovered after a crash; any other filter is cleared.
    void showOnly(const std::vector<TaskId>& ids, const QString& description);
    /// The filter the controls describe now.
    TaskFilter currentFilter() const;

    QAction* cancelAction() const { return m_cancel; }
    QAction* retryAction() const { return m_retry; }
    QAction* deleteAction() const { return m_delete; }
    QAction* cancelAllAction() const { return m_cancelAll; }
    QAction* retryAllAction() const { return m_retryAll; }
    QAction* deleteAllAction() const { return m_deleteAll; }
    QAction* exportAction() const { return m_export; }

    /// Writes the tasks of the current filter to a CSV file the person picks, in the background.
    void exportCsv();

protected:
    void showEvent(QShowEvent* event) override;

signals:
    /// A status line for the window, e.g. "3 tasks cancelled".
    void message(const QString& text);
    /// An export finished (or failed, or was cancelled).
    void exportDone();

private:
    std::vector<TaskId> selectedIds() const;
    std::vector<TaskId> matchingIds(const QList<TaskState>& states) const;
    void cancelTasks(const std::vector<TaskId>& ids);
    void retryTasks(const std::vector<TaskId>& ids);
    void deleteTasks(const std::vector<TaskId>& ids, bool allMatching);
    void applyFilter();
    void showSelection();
    void readDetail();
    void refreshDetailOnceSaved();
    void refreshDetailWhenSaved();
    void updateCaption();

    Workspace& m_workspace;
    TaskListModel* m_model;
    QTableView* m_view;
    TaskDetailView* m_detail;
    QLineEdit* m_search;
    QComboBox* m_state;
    QComboBox* m_kind;
    QLineEdit* m_user;
    QLabel* m_userProblem;
    QLabel* m_caption;
    QLabel* m_only;
    QTimer* m_searchDelay;
    QTimer* m_detailRefresh;
    qint64 m_detailSavedAt = 0; ///< the history position the detail waits for
    std::vector<TaskId> m_onlyIds;
    bool m_newerPending = false;
    QAction* m_cancel;
    QAction* m_retry;
    QAction* m_delete;
    QAction* m_cancelAll;
    QAction* m_retryAll;
    QAction* m_deleteAll;
    QAction* m_export;
    std::unique_ptr<TaskCsvExport> m_exporter;
    QProgressDialog* m_exportProgress = nullptr;
};

} // namespace workdeck
