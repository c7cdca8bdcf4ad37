#pragma once

#include "TaskRecordParser.h"
#include "TaskState.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <functional>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace workdeck {

class Workspace;

/// Add Task: a kind selector with that kind's fields, priority, retries, timeout and the
/// submitting user; problems come from core's parser and show inline; submitting queues it.
///
/// Every field has the objectName of its batch-file field ("kind", "priority", "max_retries",
/// "timeout_ms", "user", "duration_ms", "fail_attempts", "path", "algorithm", "expect",
/// "program", "args", "cwd") and a message label "<field>Message" below it; "formMessage" holds
/// problems that name no field, "browsePath" and "browseCwd" open file dialogs (FileDialogs),
/// and "submit" queues the task.
class TaskForm : public QDialog {
    Q_OBJECT

public:
    TaskForm(Workspace& workspace, qint64 defaultTimeoutMs, QWidget* parent = nullptr);

    /// What the form holds, as the JSON object of one batch line; empty optional fields are left out.
    QJsonObject record() const;
    /// Core's problems with record(), each "field: message"; empty when the task can be queued.
    QStringList problems();

signals:
    void taskQueued(workdeck::TaskId id);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    /// A field's widget and the label that shows its problem.
    struct Field {
        QWidget* widget = nullptr;
        QLabel* message = nullptr;
        int kind = -1;         ///< the kind whose page holds it, or -1 for fields every kind has
        bool reserved = false; ///< its message keeps a line free even while empty
    };
    /// The fields of one kind, and how they add themselves to a record.
    struct KindPage {
        QWidget* page = nullptr;
        std::function<void(QJsonObject&)> collect;
    };

    QLabel* addField(QFormLayout* form, const QString& label, QWidget* widget, QWidget* field, int kind,
                     bool reserveMessage);
    QWidget* buildSimulatePage(int kind);
    QWidget* buildChecksumPage(int kind);
    QWidget* buildCommandPage(int kind);
    QWidget* buildOtherPage();
    QWidget* buildCommonFields(qint64 defaultTimeoutMs);
    void watch(QLineEdit* edit);
    void watch(QSpinBox* spin);
    void watch(QComboBox* combo);
    void loadUsers();
    void showDefaultDuration();
    void alignLabels();
    void styleMessages();
    void showProblems();
    void submit();
    void browsePath();
    void browseCwd();

    Workspace& m_workspace;
    TaskRecordParser m_parser;
    QComboBox* m_kind = nullptr;
    QStackedWidget* m_pages = nullptr;
    std::vector<KindPage> m_kindPages; ///< by kind index, as the kind combo lists them
    QLineEdit* m_duration = nullptr;
    QSpinBox* m_failAttempts = nullptr;
    QLineEdit* m_path = nullptr;
    QComboBox* m_algorithm = nullptr;
    QLineEdit* m_expect = nullptr;
    QLineEdit* m_program = nullptr;
    QLineEdit* m_args = nullptr;
    QLineEdit* m_cwd = nullptr;
    QSpinBox* m_priority = nullptr;
    QSpinBox* m_retries = nullptr;
    QSpinBox* m_timeout = nullptr;
    QComboBox* m_user = nullptr;
    QLabel* m_formMessage = nullptr;
    QPushButton* m_submit = nullptr;
    QHash<QString, Field> m_fields; ///< by field name
    QStringList m_fieldOrder;       ///< field names from top to bottom
    QList<QLabel*> m_labels;        ///< the field labels of every form, to align them
    // A field shows its problems once it was edited: an untouched empty form is not an error yet.
    QSet<QString> m_touched;
    bool m_revealAll = false; ///< Enter on an incomplete form: show every problem
    QString m_queueProblem;   ///< why queueing failed, until the next change
    QString m_usersProblem;   ///< why the user list is empty
};

} // namespace workdeck
