#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace workdeck {

class UserForm;
class UserListModel;
class Workspace;

/// The Users page (SPEC S1, S4): everyone who can submit tasks, newest first, with search,
/// their tasks by state, Add, Edit and Delete, and a way to see one user's tasks.
class UsersPage : public QWidget {
    Q_OBJECT

public:
    explicit UsersPage(Workspace& workspace, QWidget* parent = nullptr);

    UserListModel& model() { return *m_model; }
    QTableView& view() { return *m_view; }
    void reload();

    QAction* addAction() const { return m_add; }
    QAction* editAction() const { return m_edit; }
    QAction* deleteAction() const { return m_delete; }
    QAction* showTasksAction() const { return m_showTasks; }

    /// Opens the form to add a user (or, with a user selected, `edit`ing them).
    UserForm* openForm(bool edit);

signals:
    /// The person wants to see the tasks of the user with this e-mail address.
    void showTasksOf(const QString& email);
    void message(const QString& text);

private:
    int currentRow() const;
    void removeCurrent();
    void updateCaption();

    Workspace& m_workspace;
    UserListModel* m_model;
    QTableView* m_view;
    QLineEdit* m_search;
    QLabel* m_caption;
    QTimer* m_searchDelay;
    QAction* m_add;
    QAction* m_edit;
    QAction* m_delete;
    QAction* m_showTasks;
};

} // namespace workdeck
