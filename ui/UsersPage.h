#pragma once

#include <QWidget>

class QTableView;

namespace workdeck {

class UserListModel;
class UserStore;

/// The Users page: everyone who can submit tasks, newest first.
class UsersPage : public QWidget {
    Q_OBJECT

public:
    explicit UsersPage(UserStore& users, QWidget* parent = nullptr);

    UserListModel& model() { return *m_model; }
    QTableView& view() { return *m_view; }
    void reload();

private:
    UserListModel* m_model;
    QTableView* m_view;
};

} // namespace workdeck
