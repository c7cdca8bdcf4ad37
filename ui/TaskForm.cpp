#include "TaskForm.h"

#include "FormStyle.h"

#include "Digest.h"
#include "FileDialogs.h"
#include "SimulateKind.h"
#include "Workspace.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace workdeck {

namespace {

const QString kindField = QStringLiteral("kind");
const QString priorityField = QStringLiteral("priority");
const QString retriesField = QStringLiteral("max_retries");
const QString timeoutField = QStringLiteral("timeout_ms");
const QString userField = QStringLiteral("user");
const QString durationField = QStringLiteral("duration_ms");
const QString failField = QStringLiteral("fail_attempts");
const QString pathField = QStringLiteral("path");
const QString algorithmField = QStringLiteral("algorithm");
const QString expectField = QStringLiteral("expect");
const QString programField = QStringLiteral("program");
const QString argsField = QStringLiteral("args");
const QString cwdField = QStringLiteral("cwd");

QLineEdit* lineEdit(const QString& objectName, const QString& placeholder, QWidget* parent)
{
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    return edit;
}

QSpinBox* spinBox(const QString& objectName, int min, int max, int value, QWidget* parent)
{
    auto* spin = new QSpinBox(parent);
    spin->setObjectName(objectName);
    spin->setRange(min, max);
    spin->setValue(value);
    return spin;
}

// Enter must submit the form from every field; a focused Browse… button would take it instead.
QPushButton* browseButton(const QString& objectName, QWidget* parent)
{
    auto* button = new QPushButton(TaskForm::tr("&Browse…"), parent);
    button->setObjectName(objectName);
    button->setAutoDefault(false);
    return button;
}

QWidget* row(QWidget* parent, std::initializer_list<QWidget*> widgets)
{
    auto* container = new QWidget(parent);
    auto* layout = new QHBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* widget : widgets)
        layout->addWidget(widget, widget == *widgets.begin() ? 1 : 0);
    return container;
}

QFormLayout* pageForm(QWidget* page)
{
    auto* form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    return form;
}

/// An integer field as a batch line holds it: a number when the text is one, otherwise the text
/// itself, so that core names what is wrong with it. Empty means "the default".
void insertInteger(QJsonObject& record, const QString& field, const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return;
    bool ok = false;
    const qlonglong number = trimmed.toLongLong(&ok);
    // Up to 2^53 a double holds every integer exactly; the field's validator stops long before.
    if (ok)
        record.insert(field, static_cast<double>(number));
    else
        record.insert(field, trimmed);
}

void insertText(QJsonObject& record, const QString& field, const QString& text)
{
    if (!text.isEmpty())
        record.insert(field, text);
}

} // namespace

TaskForm::TaskForm(Workspace& workspace, qint64 defaultTimeoutMs, QWidget* parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_parser(workspace.kinds(),
               [&workspace](const QString& email) { return workspace.userIdByEmail(email); })
{
    setWindowTitle(tr("Add Task"));
    m_parser.setDefaultTimeoutMs(defaultTimeoutMs);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(kindField);
    // Room for core's longer messages on one line, so that they do not push the fields down.
    m_kind->setMinimumWidth(fontMetrics().averageCharWidth() * 50);
    m_pages = new QStackedWidget(this);
    const KindRegistry& kinds = workspace.kinds();
    for (int kind = 0; kind < kinds.size(); ++kind) {
        const QString name = kinds.at(kind).name();
        m_kind->addItem(name);
        QWidget* page = nullptr;
        if (name == u"simulate") {
            page = buildSimulatePage(kind);
            m_kind->setItemData(kind, tr("Waits, then succeeds or fails as told: for trying out the pool"),
                                Qt::ToolTipRole);
        } else if (name == u"checksum") {
            page = buildChecksumPage(kind);
            m_kind->setItemData(kind, tr("Computes the digest of a file, optionally checking it"),
                                Qt::ToolTipRole);
        } else if (name == u"command") {
            page = buildCommandPage(kind);
            m_kind->setItemData(kind, tr("Runs a program directly, without a shell"), Qt::ToolTipRole);
        } else {
            page = buildOtherPage();
            m_kindPages.push_back({page, {}});
        }
        m_pages->addWidget(page);
    }

    auto* kindForm = new QFormLayout;
    addField(kindForm, tr("&Kind:"), m_kind, m_kind, -1, false);
    QWidget* common = buildCommonFields(defaultTimeoutMs);

    m_formMessage = new QLabel(this);
    m_formMessage->setObjectName(QStringLiteral("formMessage"));
    m_formMessage->setWordWrap(true);
    m_formMessage->setTextFormat(Qt::PlainText);
    m_formMessage->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_submit = buttons->addButton(tr("Add Task"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(QStringLiteral("submit"));
    m_submit->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &TaskForm::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Pages are as tall as the tallest kind's; the line makes the room left on shorter ones look
    // intended, and separates what to run from how to schedule it.
    auto* separator = new QFrame(this);
    separator->setFrameShape(QFrame::HLine);
    separator->setFrameShadow(QFrame::Sunken);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(kindForm);
    layout->addWidget(m_pages);
    layout->addWidget(separator);
    layout->addWidget(common);
    layout->addWidget(m_formMessage);
    layout->addStretch();
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetMinAndMaxSize);

    alignLabels();
    styleMessages();
    showDefaultDuration();
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int kind) {
        m_pages->setCurrentIndex(kind);
        showProblems();
    });
    showProblems();
}

QLabel* TaskForm::addField(QFormLayout* form, const QString& label, QWidget* widget, QWidget* field, int kind,
                           bool reserveMessage)
{
    // The form's widget adopts them when they are added to it.
    QWidget* parent = this;
    auto* caption = new QLabel(label, parent);
    caption->setBuddy(widget);
    m_labels.append(caption);

    auto* message = new QLabel(parent);
    message->setObjectName(widget->objectName() + u"Message");
    message->setWordWrap(true);
    message->setTextFormat(Qt::PlainText); // messages quote what the person typed
    message->setVisible(reserveMessage);
    m_fields.insert(widget->objectName(), Field{widget, message, kind, reserveMessage});
    m_fieldOrder.append(widget->objectName());

    // The field with its message right below, closer to it than to the next field.
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(1);
    layout->addWidget(field);
    layout->addWidget(message);
    form->addRow(caption, box);
    return message;
}

QWidget* TaskForm::buildSimulatePage(int kind)
{
    auto* page = new QWidget(this);
    auto* form = pageForm(page);
    // Text rather than a spin box: empty stands for the default, which depends on the priority.
    m_duration = lineEdit(durationField, {}, page);
    m_duration->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[+-]?[0-9]{0,12}")), m_duration));
    auto* unit = new QLabel(tr("ms"), page);
    addField(form, tr("&Duration:"), m_duration, row(page, {m_duration, unit}), kind, true);
    m_failAttempts = spinBox(failField, 0, 255, 0, page);
    m_failAttempts->setToolTip(tr("The first attempts that fail on purpose, to try out retries"));
    addField(form, tr("&Fail attempts:"), m_failAttempts, m_failAttempts, kind, false);
    watch(m_duration);
    watch(m_failAttempts);
    m_kindPages.push_back({page, [this](QJsonObject& record) {
                               insertInteger(record, durationField, m_duration->text());
                               record.insert(failField, m_failAttempts->value());
                           }});
    return page;
}

QWidget* TaskForm::buildChecksumPage(int kind)
{
    auto* page = new QWidget(this);
    auto* form = pageForm(page);
    m_path = lineEdit(pathField, tr("Required"), page);
    auto* browse = browseButton(QStringLiteral("browsePath"), page);
    connect(browse, &QPushButton::clicked, this, &TaskForm::browsePath);
    addField(form, tr("&File:"), m_path, row(page, {m_path, browse}), kind, true);
    m_algorithm = new QComboBox(page);
    m_algorithm->setObjectName(algorithmField);
    // Core's list, default first: the form cannot offer what the checksum kind would refuse.
    m_algorithm->addItems(Digest::algorithmNames());
    addField(form, tr("&Algorithm:"), m_algorithm, m_algorithm, kind, false);
    m_expect = lineEdit(expectField, tr("Optional: the hex digest to compare with"), page);
    addField(form, tr("&Expected digest:"), m_expect, m_expect, kind, true);
    watch(m_path);
    watch(m_algorithm);
    watch(m_expect);
    m_kindPages.push_back({page, [this](QJsonObject& record) {
                               insertText(record, pathField, m_path->text());
                               record.insert(algorithmField, m_algorithm->currentText());
                               // Digests are copied from elsewhere, often with a stray space.
                               insertText(record, expectField, m_expect->text().trimmed());
                           }});
    return page;
}

QWidget* TaskForm::buildCommandPage(int kind)
{
    auto* page = new QWidget(this);
    auto* form = pageForm(page);
    m_program = lineEdit(programField, tr("Required: a name on PATH, or a full path"), page);
    addField(form, tr("Pro&gram:"), m_program, m_program, kind, true);
    m_args = lineEdit(argsField, tr("Optional: -k \"my file.log\""), page);
    // QProcess::splitCommand() rules, which are not a shell's: only double quotes group.
    m_args->setToolTip(tr("Separated by spaces. Put an argument that holds spaces in double quotes; "
                          "write a literal double quote as three. The program runs directly, without "
                          "a shell, so pipes, single quotes and $VARIABLES are passed on as they are."));
    addField(form, tr("&Arguments:"), m_args, m_args, kind, false);
    m_cwd = lineEdit(cwdField, tr("Optional"), page);
    auto* browse = browseButton(QStringLiteral("browseCwd"), page);
    connect(browse, &QPushButton::clicked, this, &TaskForm::browseCwd);
    addField(form, tr("&Working folder:"), m_cwd, row(page, {m_cwd, browse}), kind, false);
    watch(m_program);
    watch(m_args);
    watch(m_cwd);
    m_kindPages.push_back({page, [this](QJsonObject& record) {
                               insertText(record, programField, m_program->text());
                               const QStringList args = QProcess::splitCommand(m_args->text());
                               if (!args.isEmpty())
                                   record.insert(argsField, QJsonArray::fromStringList(args));
                               insertText(record, cwdField, m_cwd->text());
                           }});
    return page;
}

QWidget* TaskForm::buildOtherPage()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* note = new QLabel(tr("This kind takes its parameters from batch files only."), page);
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addStretch();
    return page;
}

QWidget* TaskForm::buildCommonFields(qint64 defaultTimeoutMs)
{
    auto* fields = new QWidget(this);
    auto* form = pageForm(fields);
    m_priority = spinBox(priorityField, 0, 255, 0, fields);
    m_priority->setToolTip(tr("0 to 255; higher runs first"));
    addField(form, tr("&Priority:"), m_priority, m_priority, -1, false);
    m_retries = spinBox(retriesField, 0, 255, 0, fields);
    m_retries->setToolTip(tr("How often a failed attempt is tried again"));
    addField(form, tr("Max &retries:"), m_retries, m_retries, -1, false);
    const auto timeout = std::clamp<qint64>(defaultTimeoutMs, 1, TaskSpec::MaxTimeoutMs);
    m_timeout =
        spinBox(timeoutField, 1, static_cast<int>(TaskSpec::MaxTimeoutMs), static_cast<int>(timeout), fields);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setGroupSeparatorShown(true);
    addField(form, tr("&Timeout:"), m_timeout, m_timeout, -1, false);
    m_user = new QComboBox(fields);
    m_user->setObjectName(userField);
    addField(form, tr("&User:"), m_user, m_user, -1, false);
    loadUsers();
    watch(m_priority);
    connect(m_priority, &QSpinBox::valueChanged, this, &TaskForm::showDefaultDuration);
    watch(m_retries);
    watch(m_timeout);
    watch(m_user);
    return fields;
}

void TaskForm::watch(QLineEdit* edit)
{
    connect(edit, &QLineEdit::textEdited, this, [this, edit] {
        m_touched.insert(edit->objectName());
        showProblems();
    });
    // Text set by a Browse… button, which counts as edited too (see browsePath()).
    connect(edit, &QLineEdit::textChanged, this, &TaskForm::showProblems);
}

void TaskForm::watch(QSpinBox* spin)
{
    connect(spin, &QSpinBox::valueChanged, this, [this, spin] {
        m_touched.insert(spin->objectName());
        showProblems();
    });
}

void TaskForm::watch(QComboBox* combo)
{
    connect(combo, &QComboBox::currentIndexChanged, this, [this, combo] {
        m_touched.insert(combo->objectName());
        showProblems();
    });
}

void TaskForm::loadUsers()
{
    m_user->addItem(tr("(nobody)"), QString());
    UserQuery query;
    query.pageSize = UserQuery::MaxPageSize; // the newest ones; a search box is for a later issue
    const auto page = m_workspace.users().page(query);
    if (!page) {
        m_usersProblem = tr("The users could not be listed: %1").arg(page.error().message);
        return;
    }
    for (const User& user : page->users)
        m_user->addItem(user.name + u" <" + user.email + u'>', user.email);
}

void TaskForm::showDefaultDuration()
{
    const int simulate = m_workspace.kinds().indexOf(u"simulate");
    if (!m_duration || simulate < 0)
        return;
    // Core decides the default (it depends on the priority); the form only shows it, so that an
    // empty field is not a mystery.
    const auto params = m_workspace.kinds().at(simulate).parseParams(QJsonObject(), m_priority->value());
    if (!params)
        return;
    const QJsonValue duration = (*params)->toJson().value(durationField);
    m_duration->setPlaceholderText(tr("Default for this priority: %1").arg(duration.toInteger()));
}

void TaskForm::alignLabels()
{
    // The kind's fields and the common ones sit in separate form layouts (the kind's in a
    // stacked page); equal label widths line their fields up as if they were one form.
    int width = 0;
    for (const QLabel* label : std::as_const(m_labels))
        width = std::max(width, label->sizeHint().width());
    for (QLabel* label : std::as_const(m_labels))
        label->setMinimumWidth(width);
}

void TaskForm::styleMessages()
{
    if (!m_formMessage) // a change event during construction, before the labels exist
        return;
    for (const Field& field : std::as_const(m_fields))
        FormStyle::styleMessage(field.message, *this, field.reserved);
    FormStyle::styleMessage(m_formMessage, *this, false);
}

QJsonObject TaskForm::record() const
{
    QJsonObject record{{kindField, m_kind->currentText()},
                       {priorityField, m_priority->value()},
                       {retriesField, m_retries->value()},
                       {timeoutField, m_timeout->value()}};
    insertText(record, userField, m_user->currentData().toString());
    const auto kind = static_cast<std::size_t>(m_kind->currentIndex());
    if (kind < m_kindPages.size() && m_kindPages[kind].collect)
        m_kindPages[kind].collect(record);
    return record;
}

QStringList TaskForm::problems()
{
    QStringList found;
    m_parser.parse(record(), found);
    return found;
}

void TaskForm::showProblems()
{
    if (!m_submit) // a signal from a field while the form is still being built
        return;
    const QStringList found = problems();
    const int kind = m_kind->currentIndex();
    QHash<QString, QStringList> byField;
    QStringList general;
    for (const QString& problem : found) {
        const qsizetype colon = problem.indexOf(u": ");
        const QString name = colon > 0 ? problem.first(colon) : QString();
        const auto field = m_fields.constFind(name);
        if (field != m_fields.constEnd() && (field->kind < 0 || field->kind == kind))
            byField[name].append(problem.sliced(colon + 2));
        else
            general.append(problem); // no widget to put it under: keep the field's name
    }
    for (auto field = m_fields.cbegin(); field != m_fields.cend(); ++field) {
        const bool shown = m_revealAll || m_touched.contains(field.key());
        const QString message = shown ? byField.value(field.key()).join(u'\n') : QString();
        field->message->setText(message);
        field->message->setVisible(field->reserved || !message.isEmpty());
        // Screen readers announce the description with the field, as sighted people see it below.
        field->widget->setAccessibleDescription(message);
    }
    if (!m_usersProblem.isEmpty())
        general.append(m_usersProblem);
    if (!m_queueProblem.isEmpty())
        general.append(m_queueProblem);
    m_formMessage->setText(general.join(u'\n'));
    m_formMessage->setVisible(!general.isEmpty());
    m_submit->setEnabled(found.isEmpty());
}

void TaskForm::submit()
{
    QStringList found;
    auto spec = m_parser.parse(record(), found);
    if (!spec) {
        m_revealAll = true;
        showProblems();
        return;
    }
    auto queued = m_workspace.queue({std::move(*spec)});
    if (!queued || queued->empty()) {
        m_queueProblem = tr("The task could not be queued: %1")
                             .arg(queued ? tr("nothing was stored") : queued.error().message);
        showProblems();
        return;
    }
    m_queueProblem.clear();
    emit taskQueued(queued->front());
    accept();
}

void TaskForm::browsePath()
{
    const QString file = FileDialogs::openFile(this, tr("Choose the File to Checksum"));
    if (file.isEmpty())
        return;
    m_touched.insert(pathField);
    m_path->setText(file);
}

void TaskForm::browseCwd()
{
    const QString folder = FileDialogs::openDirectory(this, tr("Choose the Working Folder"));
    if (folder.isEmpty())
        return;
    m_touched.insert(cwdField);
    m_cwd->setText(folder);
}

void TaskForm::keyPressEvent(QKeyEvent* event)
{
    // Enter on an incomplete form would otherwise do nothing at all; instead show every problem,
    // including those of fields not yet typed in, and go to the first one.
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    const bool plain = event->modifiers() == Qt::NoModifier ||
                       (event->key() == Qt::Key_Enter && event->modifiers() == Qt::KeypadModifier);
    if (enter && plain && !m_submit->isEnabled()) {
        m_revealAll = true;
        showProblems();
        for (const QString& name : std::as_const(m_fieldOrder)) {
            const Field field = m_fields.value(name);
            if (!field.message->text().isEmpty() && field.widget->isVisible()) {
                field.widget->setFocus();
                break;
            }
        }
        return;
    }
    QDialog::keyPressEvent(event);
}

void TaskForm::changeEvent(QEvent* event)
{
    // The messages' colour depends on whether the theme is light or dark.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        styleMessages();
    QDialog::changeEvent(event);
}

} // namespace workdeck
