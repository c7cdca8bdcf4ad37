#pragma once

#include "UserStore.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace workdeck {

/// Add User: e-mail and name, with core's validation messages shown inline as the user types.
///
/// Children a test or a person can reach by objectName: the fields "email" and "name", their
/// messages "emailMessage" and "nameMessage", "formMessage" for problems that name no field,
/// and the "submit" button.
class UserForm : public QDialog {
    Q_OBJECT

public:
    explicit UserForm(UserStore& users, QWidget* parent = nullptr);

    /// Turns the form into Edit User for `user`: submitting updates it and emits userUpdated().
    void setExisting(const User& user);

signals:
    void userAdded(const workdeck::User& user);
    /// Edit mode only (see setExisting()).
    void userUpdated(const workdeck::User& user);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void showProblems();
    void submit();
    /// Shows a problem reported as "field: message" under its field, or in the form's message.
    void showStoreProblem(const QString& problem);
    void styleMessages();

    UserStore& m_users;
    QLineEdit* m_email = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_emailMessage = nullptr;
    QLabel* m_nameMessage = nullptr;
    QLabel* m_formMessage = nullptr;
    QPushButton* m_submit = nullptr;
    // A field shows its problems once it was edited: an untouched empty form is not an error yet.
    bool m_emailTouched = false;
    bool m_nameTouched = false;
    std::optional<QString> m_editingId;
};

} // namespace workdeck
