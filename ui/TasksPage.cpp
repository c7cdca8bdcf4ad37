#include "TasksPage.h"

#include "Database.h"
#include "FileDialogs.h"
#include "MessageBoxes.h"
#include "TaskActions.h"
#include "TaskBrowser.h"
#include "TaskCsvExport.h"
#include "TaskDetailView.h"
#include "TaskListModel.h"
#include "Workspace.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressDialog>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <array>

namespace workdeck {

namespace {

constexpr int SearchDelayMs = 300;
constexpr int DetailRefreshMs = 50; ///< how often the detail checks whether the history caught up

QString count(qint64 n)
{
    return QLocale().toString(n);
}

/// "1 task", "1,234 tasks".
QString tasks(qint64 n)
{
    return n == 1 ? TasksPage::tr("1 task") : TasksPage::tr("%1 tasks").arg(count(n));
}

QToolButton* buttonFor(QAction* action, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return button;
}

} // namespace

TasksPage::TasksPage(Workspace& workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_model(new TaskListModel(workspace.database(), &workspace.writer(), this))
    , m_view(new QTableView(this))
    , m_detail(new TaskDetailView(this))
    , m_search(new QLineEdit(this))
    , m_state(new QComboBox(this))
    , m_kind(new QComboBox(this))
    , m_user(new QLineEdit(this))
    , m_userProblem(new QLabel(this))
    , m_caption(new QLabel(this))
    , m_only(new QLabel(this))
    , m_searchDelay(new QTimer(this))
    , m_detailRefresh(new QTimer(this))
{
    // Filters.
    m_search->setObjectName(QStringLiteral("taskSearch"));
    m_search->setPlaceholderText(tr("Search parameters, output and errors"));
    m_search->setClearButtonEnabled(true);
    m_state->setObjectName(QStringLiteral("taskStateFilter"));
    m_state->addItem(tr("Any state"));
    for (int i = 0; i < TaskStateCount; ++i)
        m_state->addItem(stateName(static_cast<TaskState>(i)), i);
    m_kind->setObjectName(QStringLiteral("taskKindFilter"));
    m_kind->addItem(tr("Any kind"));
    for (const QString& kind : workspace.kinds().names())
        m_kind->addItem(kind, kind);
    m_user->setObjectName(QStringLiteral("taskUserFilter"));
    m_user->setPlaceholderText(tr("Submitted by (e-mail)"));
    m_user->setClearButtonEnabled(true);
    m_userProblem->setObjectName(QStringLiteral("taskUserProblem"));
    m_userProblem->hide();
    m_only->setObjectName(QStringLiteral("taskOnly"));
    m_only->hide();
    m_caption->setObjectName(QStringLiteral("tasksCaption"));
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    // Long captions are cut rather than widen the window.
    m_caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_search->setMinimumWidth(m_search->fontMetrics().averageCharWidth() * 16);
    m_user->setMinimumWidth(m_user->fontMetrics().averageCharWidth() * 12);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(SearchDelayMs);
    m_detailRefresh->setInterval(DetailRefreshMs);
    connect(m_detailRefresh, &QTimer::timeout, this, &TasksPage::refreshDetailWhenSaved);

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_search, 3);
    filters->addWidget(m_state, 1);
    filters->addWidget(m_kind, 1);
    filters->addWidget(m_user, 2);

    // Actions: on the selection, and on everything the filter matches.
    m_cancel = new QAction(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelTasks"));
    m_cancel->setShortcut(Qt::CTRL | Qt::Key_K);
    m_cancel->setToolTip(tr("Cancel the selected pending, retrying or running tasks (Ctrl+K)"));
    m_retry = new QAction(tr("&Retry"), this);
    m_retry->setObjectName(QStringLiteral("retryTasks"));
    m_retry->setShortcut(Qt::CTRL | Qt::Key_R);
    m_retry->setToolTip(tr("Queue the selected failed or cancelled tasks again (Ctrl+R)"));
    m_delete = new QAction(tr("&Delete…"), this);
    m_delete->setObjectName(QStringLiteral("deleteTasks"));
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setToolTip(tr("Delete the selected finished tasks from the history (Del)"));
    m_cancelAll = new QAction(tr("Cancel All Matching"), this);
    m_cancelAll->setObjectName(QStringLiteral("cancelAllTasks"));
    m_retryAll = new QAction(tr("Retry All Matching"), this);
    m_retryAll->setObjectName(QStringLiteral("retryAllTasks"));
    m_deleteAll = new QAction(tr("Delete All Matching…"), this);
    m_deleteAll->setObjectName(QStringLiteral("deleteAllTasks"));
    m_export = new QAction(tr("Export Tasks as &CSV…"), this);
    m_export->setObjectName(QStringLiteral("exportTasks"));
    m_export->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_E);
    for (QAction* action : {m_cancel, m_retry, m_delete}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    auto* allMenu = new QMenu(this);
    allMenu->addActions({m_cancelAll, m_retryAll, m_deleteAll});
    auto* all = new QToolButton(this);
    all->setObjectName(QStringLiteral("allMatching"));
    all->setText(tr("All Matching"));
    all->setMenu(allMenu);
    all->setPopupMode(QToolButton::InstantPopup);

    auto* actions = new QHBoxLayout;
    actions->addWidget(buttonFor(m_cancel, this));
    actions->addWidget(buttonFor(m_retry, this));
    actions->addWidget(buttonFor(m_delete, this));
    actions->addWidget(all);
    actions->addSpacing(12);
    actions->addWidget(m_caption, 1);
    actions->addWidget(buttonFor(m_export, this));

    // The list and the detail pane.
    m_view->setObjectName(QStringLiteral("tasksView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TaskListModel::Id, Qt::DescendingOrder);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Widths from the font rather than resizeColumnsToContents(), which measures every row.
    const QFontMetrics metrics = m_view->fontMetrics();
    const auto width = [&metrics](const QString& sample) { return metrics.horizontalAdvance(sample) + 24; };
    // Today's times show as hh:mm:ss, older ones with their date.
    const QString time =
        QLocale().toString(QDateTime(QDate(2000, 12, 28), QTime(23, 59, 59)), QLocale::ShortFormat);
    const std::array<std::pair<TaskListModel::Column, QString>, 10> samples{{
        {TaskListModel::Id, QStringLiteral("10000000")},
        {TaskListModel::Kind, QStringLiteral("checksum")},
        {TaskListModel::State, QStringLiteral("MM succeeded")},
        {TaskListModel::Priority, tr("Priority") + u"  "},
        {TaskListModel::Attempts, QStringLiteral("10 of 10")},
        {TaskListModel::User, QStringLiteral("someone@example.org")},
        {TaskListModel::Created, time},
        {TaskListModel::Started, time},
        {TaskListModel::Finished, time},
        {TaskListModel::Duration, QStringLiteral("10 min 00 s")},
    }};
    for (const auto& [column, sample] : samples)
        m_view->setColumnWidth(column, width(sample));

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("tasksSplit"));
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    m_detail->setMinimumWidth(m_detail->fontMetrics().averageCharWidth() * 28);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_userProblem);
    layout->addWidget(m_only);
    layout->addLayout(actions);
    layout->addWidget(split, 1);

    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &TasksPage::applyFilter);
    connect(m_search, &QLineEdit::returnPressed, this, &TasksPage::applyFilter);
    connect(m_state, &QComboBox::currentIndexChanged, this, &TasksPage::applyFilter);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &TasksPage::applyFilter);
    connect(m_user, &QLineEdit::returnPressed, this, &TasksPage::applyFilter);
    connect(m_user, &QLineEdit::editingFinished, this, [this] {
        if (m_user->text().trimmed().isEmpty() != currentFilter().userId.isEmpty())
            applyFilter();
    });
    connect(m_user, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.isEmpty())
            applyFilter(); // the clear button
    });
    connect(m_only, &QLabel::linkActivated, this, [this] {
        m_onlyIds.clear();
        applyFilter();
    });
    connect(m_model, &TaskListModel::reloaded, this, &TasksPage::updateCaption);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TasksPage::updateCaption);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TasksPage::showSelection);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TasksPage::showSelection);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(this);
        menu.addActions({m_cancel, m_retry, m_delete});
        menu.addSeparator();
        menu.addActions({m_cancelAll, m_retryAll, m_deleteAll});
        menu.addSeparator();
        menu.addAction(m_export);
        menu.exec(m_view->viewport()->mapToGlobal(at));
    });
    connect(m_cancel, &QAction::triggered, this, [this] { cancelTasks(selectedIds()); });
    connect(m_retry, &QAction::triggered, this, [this] { retryTasks(selectedIds()); });
    connect(m_delete, &QAction::triggered, this, [this] { deleteTasks(selectedIds(), false); });
    connect(m_cancelAll, &QAction::triggered, this, [this] {
        cancelTasks(matchingIds({TaskState::Pending, TaskState::Running, TaskState::Retrying}));
    });
    connect(m_retryAll, &QAction::triggered, this, [this] {
        retryTasks(matchingIds({TaskState::Failed, TaskState::Cancelled}));
    });
    connect(m_deleteAll, &QAction::triggered, this, [this] {
        deleteTasks(matchingIds({TaskState::Succeeded, TaskState::Failed, TaskState::Cancelled}), true);
    });
    connect(m_export, &QAction::triggered, this, &TasksPage::exportCsv);
    connect(&workspace.pool(), &WorkerPool::tasksChanged, this, &TasksPage::apply);
    connect(m_model, &TaskListModel::newerAvailable, this, &TasksPage::tasksAdded);

    reload();
}

TasksPage::~TasksPage() = default;

TaskFilter TasksPage::currentFilter() const
{
    TaskFilter filter;
    if (m_state->currentIndex() > 0)
        filter.state = static_cast<TaskState>(m_state->currentData().toInt());
    filter.kind = m_kind->currentData().toString();
    filter.search = m_search->text();
    if (const QString email = m_user->text().trimmed(); !email.isEmpty())
        filter.userId = m_workspace.userIdByEmail(email).value_or(QString());
    filter.ids = m_onlyIds;
    return filter;
}

void TasksPage::applyFilter()
{
    m_searchDelay->stop();
    const QString email = m_user->text().trimmed();
    const TaskFilter filter = currentFilter();
    const bool unknownUser = !email.isEmpty() && filter.userId.isEmpty();
    m_userProblem->setText(tr("No user has the e-mail address %1; showing everybody's tasks.").arg(email));
    m_userProblem->setVisible(unknownUser);
    if (m_onlyIds.empty())
        m_only->hide();
    m_model->setFilter(filter);
}

void TasksPage::reload()
{
    m_model->setFilter(currentFilter());
}

void TasksPage::filterByUser(const QString& email)
{
    m_user->setText(email);
    applyFilter();
}

void TasksPage::showOnly(const std::vector<TaskId>& ids, const QString& description)
{
    const QSignalBlocker search(m_search);
    const QSignalBlocker state(m_state);
    const QSignalBlocker kind(m_kind);
    const QSignalBlocker user(m_user);
    m_search->clear();
    m_state->setCurrentIndex(0);
    m_kind->setCurrentIndex(0);
    m_user->clear();
    m_onlyIds = ids;
    m_only->setText(description + u" <a href='#all'>" + tr("Show all tasks") + u"</a>");
    m_only->show();
    applyFilter();
}

void TasksPage::updateCaption()
{
    if (!m_model->problem().isEmpty()) {
        m_caption->setText(tr("The tasks cannot be read: %1").arg(m_model->problem()));
        return;
    }
    const qint64 shown = m_model->rowCount();
    const TaskFilter filter = m_model->filter();
    const bool filtered = filter.state || !filter.kind.isEmpty() || !filter.userId.isEmpty() ||
                          !filter.search.trimmed().isEmpty() || !filter.ids.empty();
    if (shown == 0)
        m_caption->setText(filtered
                               ? tr("No task matches.")
                               : tr("No tasks yet. Add one with Add Task, or load a batch file with File ▸ "
                                    "Load Task Batch."));
    else if (m_model->atEnd())
        m_caption->setText(filtered ? tr("%1 matching tasks.").arg(count(shown))
                                    : tr("%1 tasks.").arg(count(shown)));
    else
        m_caption->setText(tr("%1 tasks shown; more load as you scroll.").arg(count(shown)));
}

void TasksPage::apply(const QList<TaskEvent>& events)
{
    m_model->apply(events);
    const TaskId shown = m_detail->taskId();
    if (shown == 0)
        return;
    for (const TaskEvent& event : events) {
        if (event.id == shown) {
            refreshDetailOnceSaved();
            return;
        }
    }
}

void TasksPage::refreshDetailOnceSaved()
{
    // The detail is read from the database, which the history writer brings up to date a little
    // after the pool's changes: read it again once what was posted so far is saved.
    m_detailSavedAt = m_workspace.writer().posted();
    if (m_workspace.writer().committed() < m_detailSavedAt && !m_detailRefresh->isActive())
        m_detailRefresh->start();
}

void TasksPage::refreshDetailWhenSaved()
{
    if (m_workspace.writer().committed() < m_detailSavedAt)
        return;
    m_detailRefresh->stop();
    readDetail();
}

void TasksPage::tasksAdded()
{
    // Reading new rows for a page nobody sees would only take time from the window.
    if (!isVisible()) {
        m_newerPending = true;
        return;
    }
    m_newerPending = false;
    m_model->addNewer();
}

void TasksPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_newerPending)
        tasksAdded();
}

std::vector<TaskId> TasksPage::selectedIds() const
{
    std::vector<TaskId> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    ids.reserve(static_cast<std::size_t>(rows.size()));
    for (const QModelIndex& index : rows)
        ids.push_back(m_model->idAt(index.row()));
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<TaskId> TasksPage::matchingIds(const QList<TaskState>& states) const
{
    if (auto settled = TaskActions(m_workspace).settle(); !settled)
        return {};
    auto ids = TaskBrowser(m_workspace.database()).ids(m_model->filter(), states);
    if (!ids) {
        MessageBoxes::error(const_cast<TasksPage*>(this), tr("Tasks"),
                            tr("The matching tasks cannot be read."), ids.error().message);
        return {};
    }
    return *ids;
}

void TasksPage::cancelTasks(const std::vector<TaskId>& ids)
{
    const qint64 cancelled = TaskActions(m_workspace).cancel(ids);
    emit message(tr("Cancelled %1.").arg(tasks(cancelled)));
}

void TasksPage::retryTasks(const std::vector<TaskId>& ids)
{
    auto retried = TaskActions(m_workspace).retry(ids);
    if (!retried) {
        MessageBoxes::error(this, tr("Retry"), tr("The tasks could not be queued again."),
                            retried.error().message);
        return;
    }
    emit message(tr("Queued %1 again.").arg(tasks(*retried)));
}

void TasksPage::deleteTasks(const std::vector<TaskId>& ids, bool allMatching)
{
    if (ids.empty()) {
        emit message(allMatching ? tr("No finished task matches, so nothing was deleted.")
                                 : tr("Select finished tasks to delete them."));
        return;
    }
    const qint64 n = static_cast<qint64>(ids.size());
    QString what = tr("Delete the %1 selected tasks?").arg(count(n));
    if (allMatching)
        what = tr("Delete every finished task that matches the filter (%1)?").arg(count(n));
    else if (n == 1)
        what = tr("Delete the selected task?");
    if (!MessageBoxes::confirm(
            this, tr("Delete Tasks"), what, tr("Delete"),
            tr("Only finished tasks (succeeded, failed or cancelled) are deleted, with their "
               "attempts. This cannot be undone.")))
        return;
    auto removed = TaskActions(m_workspace).remove(ids);
    if (!removed) {
        MessageBoxes::error(this, tr("Delete Tasks"),
                            tr("The tasks could not be deleted; nothing was changed."),
                            removed.error().message);
        return;
    }
    emit message(tr("Deleted %1.").arg(tasks(*removed)));
    m_model->reload();
}

void TasksPage::showSelection()
{
    readDetail();
    if (m_detail->taskId() != 0)
        refreshDetailOnceSaved();
}

void TasksPage::readDetail()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        m_detail->showMessage(tr("Select a task to see its parameters, attempts, output and error."));
        return;
    }
    if (rows.size() > 1) {
        m_detail->showMessage(tr("%1 tasks selected.").arg(count(rows.size())));
        return;
    }
    auto detail = TaskBrowser(m_workspace.database()).detail(m_model->idAt(rows.first().row()));
    if (detail)
        m_detail->showDetail(*detail);
    else
        m_detail->showMessage(tr("This task cannot be read: %1").arg(detail.error().message));
}

void TasksPage::exportCsv()
{
    if (m_exporter && m_exporter->isRunning())
        return;
    const QString target =
        FileDialogs::saveFile(this, tr("Export Tasks"), QStringLiteral("tasks.csv"), tr("CSV files (*.csv)"));
    if (target.isEmpty())
        return;
    m_exporter = std::make_unique<TaskCsvExport>(m_workspace.database().path());
    m_exportProgress = new QProgressDialog(tr("Exporting tasks…"), tr("Cancel"), 0, 0, this);
    m_exportProgress->setObjectName(QStringLiteral("exportProgress"));
    m_exportProgress->setWindowTitle(tr("Export Tasks"));
    m_exportProgress->setMinimumDuration(300);
    m_exportProgress->setAttribute(Qt::WA_DeleteOnClose);
    const auto done = [this](const QString& text) {
        if (m_exportProgress)
            m_exportProgress->close();
        m_exportProgress = nullptr;
        emit message(text);
        emit exportDone();
    };
    connect(m_exportProgress, &QProgressDialog::canceled, m_exporter.get(), &TaskCsvExport::cancel);
    connect(m_exporter.get(), &TaskCsvExport::progress, this, [this](qint64 rows) {
        if (m_exportProgress)
            m_exportProgress->setLabelText(tr("Exporting tasks… %1 written").arg(count(rows)));
    });
    connect(m_exporter.get(), &TaskCsvExport::finished, this, [done, target](qint64 rows) {
        done(tr("%1 tasks exported to %2.").arg(count(rows), QDir::toNativeSeparators(target)));
    });
    connect(m_exporter.get(), &TaskCsvExport::cancelled, this,
            [done] { done(tr("Export cancelled; no file was written.")); });
    connect(m_exporter.get(), &TaskCsvExport::failed, this, [this, done](const QString& why) {
        done(tr("Export failed."));
        MessageBoxes::error(this, tr("Export Tasks"),
                            tr("The tasks could not be exported; no file was written."), why);
    });
    m_exporter->start(target, m_model->filter(), m_model->order());
}

} // namespace workdeck
