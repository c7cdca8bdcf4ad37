#pragma once

#include <QDialog>

namespace workdeck {

class UserStore;
struct User;

/// Add User: e-mail and name, with core's validation messages shown inline as the user types.
class UserForm : public QDialog {
    Q_OBJECT

public:
    explicit UserForm(UserStore& users, QWidget* parent = nullptr);

signals:
    void userAdded(const workdeck::User& user);
};

} // namespace workdeck
