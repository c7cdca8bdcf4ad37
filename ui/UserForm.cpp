#include "UserForm.h"

#include "FormStyle.h"

#include "UserValidator.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace workdeck {

namespace {

const QString emailField = QStringLiteral("email");
const QString nameField = QStringLiteral("name");

QLabel* messageLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText); // messages quote what the person typed
    return label;
}

// The field with its message right below, closer to it than to the next field.
QWidget* withMessage(QWidget* field, QLabel* message, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(1);
    layout->addWidget(field);
    layout->addWidget(message);
    return box;
}

void setMessage(QLabel* label, QLineEdit* field, const QString& message)
{
    label->setText(message);
    // Screen readers announce the description with the field, as sighted people see it below.
    field->setAccessibleDescription(message);
}

} // namespace

UserForm::UserForm(UserStore& users, QWidget* parent)
    : QDialog(parent)
    , m_users(users)
{
    setWindowTitle(tr("Add User"));

    m_email = new QLineEdit(this);
    m_email->setObjectName(emailField);
    m_email->setPlaceholderText(tr("name@example.com"));
    m_email->setMinimumWidth(fontMetrics().averageCharWidth() * 48);
    m_name = new QLineEdit(this);
    m_name->setObjectName(nameField);
    m_name->setPlaceholderText(tr("First and last name"));
    m_emailMessage = messageLabel(QStringLiteral("emailMessage"), this);
    m_nameMessage = messageLabel(QStringLiteral("nameMessage"), this);
    m_formMessage = messageLabel(QStringLiteral("formMessage"), this);
    m_formMessage->hide();

    auto* form = new QFormLayout;
    auto* emailLabel = new QLabel(tr("&E-mail:"), this);
    emailLabel->setBuddy(m_email);
    form->addRow(emailLabel, withMessage(m_email, m_emailMessage, this));
    auto* nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, withMessage(m_name, m_nameMessage, this));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_submit = buttons->addButton(tr("Add User"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(QStringLiteral("submit"));
    m_submit->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &UserForm::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_formMessage);
    layout->addStretch();
    layout->addWidget(buttons);
    // The person may resize the dialog wider, but extra height would only add empty space.
    layout->setSizeConstraint(QLayout::SetMinAndMaxSize);
    styleMessages();

    connect(m_email, &QLineEdit::textEdited, this, [this] {
        m_emailTouched = true;
        showProblems();
    });
    connect(m_name, &QLineEdit::textEdited, this, [this] {
        m_nameTouched = true;
        showProblems();
    });
    showProblems();
}

void UserForm::setExisting(const User& user)
{
    m_editingId = user.id;
    setWindowTitle(tr("Edit User"));
    m_submit->setText(tr("Save"));
    m_email->setText(user.email);
    m_name->setText(user.name);
    // Stored values were valid when written; should the rules have changed since, say so at once.
    m_emailTouched = m_nameTouched = true;
    showProblems();
}

void UserForm::showProblems()
{
    const QString emailProblem = UserValidator::emailProblem(m_email->text());
    const QString nameProblem = UserValidator::nameProblem(m_name->text());
    setMessage(m_emailMessage, m_email, m_emailTouched ? emailProblem : QString());
    setMessage(m_nameMessage, m_name, m_nameTouched ? nameProblem : QString());
    m_formMessage->clear();
    m_formMessage->hide();
    m_submit->setEnabled(emailProblem.isEmpty() && nameProblem.isEmpty());
}

void UserForm::submit()
{
    if (!m_submit->isEnabled())
        return;
    const UserInput input{m_email->text(), m_name->text()};
    auto saved = m_editingId ? m_users.update(*m_editingId, input) : m_users.create(input);
    if (!saved) {
        // Several validation problems come joined with "; " (UserValidator::validate()).
        const QStringList problems = saved.error().invalidInput
                                         ? saved.error().message.split(QStringLiteral("; "))
                                         : QStringList{saved.error().message};
        for (const QString& problem : problems)
            showStoreProblem(problem);
        return;
    }
    if (m_editingId)
        emit userUpdated(*saved);
    else
        emit userAdded(*saved);
    accept();
}

void UserForm::showStoreProblem(const QString& problem)
{
    const qsizetype colon = problem.indexOf(u": ");
    const QString field = colon > 0 ? problem.first(colon) : QString();
    if (field == emailField) {
        setMessage(m_emailMessage, m_email, problem.sliced(colon + 2));
        m_email->setFocus();
    } else if (field == nameField) {
        setMessage(m_nameMessage, m_name, problem.sliced(colon + 2));
        m_name->setFocus();
    } else {
        m_formMessage->setText(tr("The user could not be saved: %1").arg(problem));
        m_formMessage->show();
    }
}

void UserForm::keyPressEvent(QKeyEvent* event)
{
    // Enter on an incomplete form would otherwise do nothing at all; instead show every problem,
    // including those of fields not yet typed in, and go to the first one.
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    const bool plain = event->modifiers() == Qt::NoModifier ||
                       (event->key() == Qt::Key_Enter && event->modifiers() == Qt::KeypadModifier);
    if (enter && plain && !m_submit->isEnabled()) {
        m_emailTouched = m_nameTouched = true;
        showProblems();
        if (!m_emailMessage->text().isEmpty())
            m_email->setFocus();
        else
            m_name->setFocus();
        return;
    }
    QDialog::keyPressEvent(event);
}

void UserForm::changeEvent(QEvent* event)
{
    // The messages' colour depends on whether the theme is light or dark.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        styleMessages();
    QDialog::changeEvent(event);
}

void UserForm::styleMessages()
{
    if (!m_formMessage) // a change event during construction, before the labels exist
        return;
    for (QLabel* label : {m_emailMessage, m_nameMessage, m_formMessage})
        FormStyle::styleMessage(label, *this);
}

} // namespace workdeck
