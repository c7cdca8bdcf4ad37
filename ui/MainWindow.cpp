#include "MainWindow.h"

#include "BatchImportDialog.h"
#include "BatchSummary.h"
#include "DashboardPage.h"
#include "FailureNotices.h"
#include "FileDialogs.h"
#include "MessageBoxes.h"
#include "Notifier.h"
#include "RecoveryBanner.h"
#include "SearchIndexer.h"
#include "SettingsDialog.h"
#include "TaskForm.h"
#include "TaskListModel.h"
#include "TasksPage.h"
#include "UserForm.h"
#include "UsersPage.h"
#include "Workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace workdeck {

namespace {

const QString geometryKey = QStringLiteral("window/geometry");
const QString stateKey = QStringLiteral("window/state");
const QString pageKey = QStringLiteral("window/page");
const QString chartWindowKey = QStringLiteral("window/chartSeconds");
constexpr int MaxWorkers = 256;

QString number(qint64 value)
{
    return QLocale().toString(value);
}

} // namespace

MainWindow::MainWindow(Workspace& workspace, const AppSettings& settings, QWidget* parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_settings(settings)
{
    setWindowTitle(QStringLiteral("Workdeck"));
    setObjectName(QStringLiteral("mainWindow"));
    m_notifier = new Notifier(this);
    m_failures = new FailureNotices(*m_notifier, FailureNotices::DefaultHoldMs, this);

    m_pages = new QTabWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->setDocumentMode(true);
    m_dashboard = new DashboardPage(workspace.pool(), m_pages);
    m_tasks = new TasksPage(workspace, m_pages);
    m_users = new UsersPage(workspace, m_pages);
    m_pages->addTab(m_dashboard, tr("&Dashboard"));
    m_pages->addTab(m_tasks, tr("&Tasks"));
    m_pages->addTab(m_users, tr("&Users"));
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    m_banner = new RecoveryBanner(central);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_pages, 1);
    setCentralWidget(central);
    connect(m_tasks, &TasksPage::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_users, &UsersPage::showTasksOf, this, [this](const QString& email) {
        m_tasks->filterByUser(email);
        showPage(Tasks);
    });
    connect(m_users, &UsersPage::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_banner, &RecoveryBanner::showTasks, this, [this] {
        m_tasks->showOnly(m_workspace.recovered().ids,
                          tr("The tasks recovered after the last run was interrupted."));
        showPage(Tasks);
    });
    if (auto indexer = SearchIndexer::start(workspace.database().path()))
        m_indexer = std::move(*indexer);
    else
        statusBar()->showMessage(tr("Search cannot keep up with new tasks: %1").arg(indexer.error().message));

    createActions();
    createStatusBar();

    // The pool counts what finished since the workspace started; the database knew the rest.
    const auto& before = workspace.countsAtStart();
    m_storedSucceeded = before[static_cast<std::size_t>(TaskState::Succeeded)];
    m_storedFailed = before[static_cast<std::size_t>(TaskState::Failed)];
    m_storedCancelled = before[static_cast<std::size_t>(TaskState::Cancelled)];
    WorkerPool& pool = workspace.pool();
    connect(&pool, &WorkerPool::tasksChanged, this, &MainWindow::onTasksChanged);
    connect(&pool, &WorkerPool::statsSampled, this, &MainWindow::showTotals);
    connect(&workspace, &Workspace::storageProblem, this, [this](const QString& message) {
        statusBar()->showMessage(tr("The history cannot be saved: %1. Workdeck keeps trying.").arg(message));
    });
    showTotals();

    m_banner->showRecovery(workspace.recovered());

    resize(1100, 720);
    QSettings stored;
    restoreGeometry(stored.value(geometryKey).toByteArray());
    restoreState(stored.value(stateKey).toByteArray());
    m_pages->setCurrentIndex(std::clamp(stored.value(pageKey, 0).toInt(), 0, m_pages->count() - 1));
    const int chartSeconds = stored.value(chartWindowKey).toInt();
    if (std::ranges::find(DashboardPage::WindowChoices, chartSeconds) != DashboardPage::WindowChoices.end())
        m_dashboard->setWindowSeconds(chartSeconds);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* load = file->addAction(tr("&Load Task Batch…"), this, &MainWindow::loadBatch);
    load->setObjectName(QStringLiteral("loadBatch"));
    load->setShortcut(QKeySequence::Open);
    load->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    load->setToolTip(tr("Queue the tasks of a JSON Lines, JSON or CSV file (%1)")
                         .arg(load->shortcut().toString(QKeySequence::NativeText)));
    QAction* exportAction =
        file->addAction(tr("&Export Dashboard as PNG…"), this, &MainWindow::exportDashboard);
    exportAction->setObjectName(QStringLiteral("exportDashboard"));
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(m_tasks->exportAction());
    file->addSeparator();
    QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setObjectName(QStringLiteral("settings"));
    settings->setShortcuts({QKeySequence::Preferences, QKeySequence(Qt::CTRL | Qt::Key_Comma)});
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* tasks = menuBar()->addMenu(tr("&Tasks"));
    QAction* addTaskAction = tasks->addAction(tr("Add &Task…"), this, &MainWindow::addTask);
    addTaskAction->setObjectName(QStringLiteral("addTask"));
    addTaskAction->setShortcut(QKeySequence::New);
    addTaskAction->setIcon(style()->standardIcon(QStyle::SP_FileIcon));
    QAction* addUserAction = tasks->addAction(tr("Add &User…"), this, &MainWindow::addUser);
    addUserAction->setObjectName(QStringLiteral("addUser"));
    addUserAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    addUserAction->setIcon(style()->standardIcon(QStyle::SP_DirHomeIcon));
    tasks->addSeparator();
    m_pause = tasks->addAction(tr("&Pause"));
    m_pause->setObjectName(QStringLiteral("pause"));
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    m_pause->setChecked(m_workspace.pool().isPaused());
    connect(m_pause, &QAction::toggled, this, &MainWindow::setPaused);
    tasks->addSeparator();
    tasks->addActions({m_tasks->cancelAction(), m_tasks->retryAction(), m_tasks->deleteAction()});
    tasks->addSeparator();
    tasks->addActions({m_tasks->cancelAllAction(), m_tasks->retryAllAction(), m_tasks->deleteAllAction()});

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const std::array<std::pair<QString, Page>, 3> pages{{
        {tr("&Dashboard"), Dashboard},
        {tr("&Tasks"), Tasks},
        {tr("&Users"), Users},
    }};
    for (const auto& [title, page] : pages) {
        QAction* show = view->addAction(title, this, [this, p = page] { showPage(p); });
        show->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(int{Qt::Key_1} + int{page})));
    }

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_pause);
    auto* workersLabel = new QLabel(tr(" Workers "), bar);
    bar->addWidget(workersLabel);
    m_workers = new QSpinBox(bar);
    m_workers->setObjectName(QStringLiteral("toolbarWorkers"));
    m_workers->setRange(1, MaxWorkers);
    m_workers->setValue(m_workspace.pool().workerCount());
    m_workers->setToolTip(tr("How many tasks run at the same time"));
    workersLabel->setBuddy(m_workers);
    bar->addWidget(m_workers);
    connect(m_workers, &QSpinBox::valueChanged, this, [this](int workers) {
        if (workers == m_settings.workers)
            return;
        AppSettings changed = m_settings;
        changed.workers = workers;
        applySettings(changed);
    });
    bar->addSeparator();
    bar->addAction(load);
    bar->addAction(addTaskAction);
    bar->addAction(addUserAction);
}

void MainWindow::createStatusBar()
{
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("totals"));
    m_databasePath = new QLabel(this);
    m_databasePath->setObjectName(QStringLiteral("databasePath"));
    m_databasePath->setText(QDir::toNativeSeparators(m_workspace.database().path()));
    m_databasePath->setToolTip(tr("The database this window works on"));
    m_databasePath->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_totals);
    statusBar()->addPermanentWidget(m_databasePath);
}

void MainWindow::showPage(Page page)
{
    m_pages->setCurrentIndex(page);
}

void MainWindow::setPaused(bool paused)
{
    if (paused) {
        m_workspace.pool().pause();
        m_pause->setText(tr("&Resume"));
        m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
        statusBar()->showMessage(tr("Paused: running tasks finish, no new ones start."));
    } else {
        m_workspace.pool().resume();
        m_pause->setText(tr("&Pause"));
        m_pause->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
        statusBar()->showMessage(tr("Resumed."), 3000);
    }
}

void MainWindow::applySettings(const AppSettings& settings)
{
    m_settings = settings;
    WorkerPool& pool = m_workspace.pool();
    pool.setWorkerCount(settings.workers);
    pool.setBackoff(settings.backoffBaseMs, settings.backoffCapMs);
    const QSignalBlocker quiet(m_workers);
    m_workers->setValue(settings.workers);
    QSettings stored;
    settings.save(stored);
}

void MainWindow::loadBatch()
{
    if (m_import) {
        m_import->raise();
        return;
    }
    const QString path = FileDialogs::openBatchFile(this);
    if (!path.isEmpty())
        importBatch(path);
}

void MainWindow::importBatch(const QString& path)
{
    if (m_import)
        return; // one import at a time; its dialog is modal
    m_import = new BatchImportDialog(m_workspace, m_settings.defaultTimeoutMs, this);
    connect(m_import, &BatchImportDialog::imported, this, &MainWindow::onImported);
    connect(m_import, &BatchImportDialog::imported, m_import, &QObject::deleteLater);
    connect(m_import, &BatchImportDialog::notImported, m_import, &QObject::deleteLater);
    connect(m_import, &BatchImportDialog::notImported, this, [this](const QString& file) {
        statusBar()->showMessage(tr("%1 was not imported.").arg(QFileInfo(file).fileName()), 10'000);
    });
    m_import->start(path);
}

void MainWindow::onImported(const QString& path, const BatchSummary& summary, TaskId firstId, TaskId lastId)
{
    tasksAdded();
    const QString name = QFileInfo(path).fileName();
    statusBar()->showMessage(tr("Queued %1 task(s) from %2.").arg(number(summary.tasks()), name), 10'000);
    if (summary.tasks() > 0)
        m_batches.append(RunningBatch{name, firstId, lastId, summary.tasks()});
}

void MainWindow::countBatchTask(const TaskEvent& event)
{
    for (auto it = m_batches.begin(); it != m_batches.end(); ++it) {
        if (event.id < it->firstId || event.id > it->lastId)
            continue;
        if (event.state == TaskState::Succeeded)
            ++it->succeeded;
        else if (event.state == TaskState::Failed)
            ++it->failed;
        else
            ++it->cancelled;
        if (--it->remaining == 0) {
            m_failures->flush(); // the batch's end is the last thing said about it
            m_notifier->notify(tr("Batch finished"), tr("%1: %2 succeeded, %3 failed, %4 cancelled")
                                                         .arg(it->name, number(it->succeeded),
                                                              number(it->failed), number(it->cancelled)));
            m_batches.erase(it);
        }
        return;
    }
}

void MainWindow::onTasksChanged(const QList<TaskEvent>& events)
{
    if (m_indexer)
        m_indexer->post(events);
    m_failures->add(events);
    // After the failures, so that a batch's end is the last thing said about it.
    if (!m_batches.isEmpty()) {
        for (const TaskEvent& event : events) {
            if (isTerminal(event.state))
                countBatchTask(event);
        }
    }
}

void MainWindow::showTotals()
{
    const PoolCounters now = m_workspace.pool().counters();
    m_totals->setText(tr("%1 pending · %2 running · %3 retrying · %4 succeeded · %5 failed · %6 cancelled")
                          .arg(number(now.pending), number(now.running), number(now.retrying),
                               number(m_storedSucceeded + now.succeeded), number(m_storedFailed + now.failed),
                               number(m_storedCancelled + now.cancelled)));
}

void MainWindow::tasksAdded()
{
    m_tasks->tasksAdded();
    if (m_indexer)
        m_indexer->postAdded();
}

void MainWindow::addTask()
{
    auto* form = new TaskForm(m_workspace, m_settings.defaultTimeoutMs, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &TaskForm::taskQueued, this, [this](TaskId id) {
        tasksAdded();
        statusBar()->showMessage(tr("Task %1 queued.").arg(id), 5000);
    });
    form->open();
}

void MainWindow::addUser()
{
    auto* form = new UserForm(m_workspace.users(), this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &UserForm::userAdded, this, [this](const User& user) {
        m_users->reload();
        statusBar()->showMessage(tr("%1 added.").arg(user.email), 5000);
    });
    form->open();
}

void MainWindow::openSettings()
{
    auto* dialog = new SettingsDialog(m_settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { applySettings(dialog->settings()); });
    dialog->open();
}

void MainWindow::exportDashboard()
{
    const QString path = FileDialogs::saveFile(
        this, tr("Export Dashboard"), QStringLiteral("workdeck-dashboard.png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (!m_dashboard->grab().save(path, "PNG"))
        MessageBoxes::error(this, tr("Export Dashboard"),
                            tr("The dashboard could not be saved as %1. Choose a folder you can write to.")
                                .arg(QDir::toNativeSeparators(path)));
    else
        statusBar()->showMessage(tr("Dashboard saved as %1.").arg(QDir::toNativeSeparators(path)), 5000);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings stored;
    stored.setValue(geometryKey, saveGeometry());
    stored.setValue(stateKey, saveState());
    stored.setValue(pageKey, m_pages->currentIndex());
    stored.setValue(chartWindowKey, m_dashboard->windowSeconds());
    QMainWindow::closeEvent(event);
}

} // namespace workdeck
