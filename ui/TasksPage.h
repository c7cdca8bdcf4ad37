#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace workdeck {

class TaskListModel;
class TaskStore;

/// The Tasks page: the newest tasks of the history and their live state.
class TasksPage : public QWidget {
    Q_OBJECT

public:
    explicit TasksPage(TaskStore& tasks, QWidget* parent = nullptr);

    TaskListModel& model() { return *m_model; }
    QTableView& view() { return *m_view; }
    /// Reads the newest tasks again (after new ones were stored).
    void reload();

private:
    TaskListModel* m_model;
    QTableView* m_view;
    QLabel* m_caption;
};

} // namespace workdeck
