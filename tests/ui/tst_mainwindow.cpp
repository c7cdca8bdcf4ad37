#include "BatchImport.h"
#include "BatchImportDialog.h"
#include "DashboardPage.h"
#include "FileDialogs.h"
#include "MainWindow.h"
#include "MessageBoxes.h"
#include "Notifier.h"
#include "SqlText.h"
#include "StatsChart.h"
#include "TaskForm.h"
#include "TaskListModel.h"
#include "UserForm.h"
#include "UserListModel.h"
#include "Workspace.h"
#include "WriteLockHolder.h"

#include <QAction>
#include <QComboBox>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;

    QString writeFile(const QString& name, const QByteArray& contents)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) != contents.size())
            qFatal("cannot write %s", qPrintable(file.fileName()));
        return file.fileName();
    }

    QAction* action(const char* name) { return m_window->findChild<QAction*>(QLatin1String(name)); }

    template <typename T> T* child(const char* name, QWidget* parent = nullptr)
    {
        QWidget* in = parent ? parent : m_window.get();
        return *name ? in->findChild<T*>(QLatin1String(name)) : in->findChild<T*>();
    }

    std::array<qint64, TaskStateCount> storedStates()
    {
        if (auto flushed = m_workspace->writer().flush(); !flushed)
            qWarning("%s", qPrintable(flushed.error().message));
        return *m_workspace->tasks().countByState();
    }

    qint64 stored(TaskState state) { return storedStates()[static_cast<std::size_t>(state)]; }

    qint64 storedTotal()
    {
        qint64 total = 0;
        for (qint64 count : storedStates())
            total += count;
        return total;
    }

    TaskListModel& tasksModel()
    {
        return *qobject_cast<TaskListModel*>(child<QTableView>("tasksView")->model());
    }

    QString taskState(int row) { return tasksModel().index(row, TaskListModel::State).data().toString(); }

    void openWindow()
    {
        m_window = std::make_unique<MainWindow>(*m_workspace, AppSettings::defaults());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        MessageBoxes::setTestMode(true);
    }

    void init()
    {
        QSettings().clear();
        MessageBoxes::clearShown();
        FileDialogs::clearNextAnswers();
        QFile::remove(m_dir.filePath(QStringLiteral("w.sqlite")));
        WorkerPool::Options options = AppSettings::defaults().applyTo({});
        options.workers = 2;
        options.backoffBaseMs = 0;
        options.backoffCapMs = 0;
        auto workspace =
            Workspace::open(m_dir.filePath(QStringLiteral("w.sqlite")), KindRegistry::builtin(), options);
        QVERIFY(workspace.ok());
        m_workspace = std::move(*workspace);
        QVERIFY(m_workspace->start().ok());
        openWindow();
    }

    void cleanup()
    {
        m_window.reset();
        m_workspace.reset();
    }

    void theTotalsCountEarlierSessionsWhileTheHistoryLagsBehind()
    {
        m_window.reset();
        m_workspace.reset();
        // Two tasks finished in an earlier session; five were left pending.
        {
            auto db = Database::open(m_dir.filePath(QStringLiteral("w.sqlite")));
            QVERIFY(db.ok());
            QVERIFY(
                (*db)
                    ->exec(
                        "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value "
                        "< 7) "
                        "INSERT INTO tasks(id, uuid, kind, priority, max_retries, timeout_ms, params, state, "
                        "created_at) SELECT value, 'u' || value, 'simulate', 0, 0, 10000, "
                        "'{\"duration_ms\":200}', CASE WHEN value <= 2 THEN 'succeeded' ELSE 'pending' END, "
                        "1 "
                        "FROM n")
                    .ok());
        }
        WorkerPool::Options options = AppSettings::defaults().applyTo({});
        options.workers = 2;
        auto workspace =
            Workspace::open(m_dir.filePath(QStringLiteral("w.sqlite")), KindRegistry::builtin(), options);
        QVERIFY(workspace.ok());
        m_workspace = std::move(*workspace);
        QVERIFY(m_workspace->start().ok());
        // Another connection holds the write lock while the five run: the database still says
        // they are pending when the window opens.
        const test::WriteLockHolder lock(m_dir.filePath(QStringLiteral("w.sqlite")));
        QVERIFY(lock.holds());
        QTRY_VERIFY(m_workspace->pool().isIdle());
        openWindow();
        QVERIFY2(child<QLabel>("totals")->text().contains(QStringLiteral("7 succeeded")),
                 qPrintable(child<QLabel>("totals")->text()));
    }

    void showsThePagesTheDatabaseAndTheTotals()
    {
        QCOMPARE(m_window->windowTitle(), QStringLiteral("Workdeck"));
        auto* pages = child<QTabWidget>("pages");
        QVERIFY(pages);
        QCOMPARE(pages->count(), 3);
        QCOMPARE(pages->tabText(0), QStringLiteral("&Dashboard"));
        QVERIFY(child<DashboardPage>(""));
        QCOMPARE(child<QLabel>("databasePath")->text(),
                 QDir::toNativeSeparators(m_dir.filePath(QStringLiteral("w.sqlite"))));
        QVERIFY(child<QLabel>("totals")->text().contains(QStringLiteral("0 pending")));
        for (const char* name :
             {"loadBatch", "addTask", "addUser", "pause", "settings", "exportDashboard", "quit"})
            QVERIFY2(action(name), name);
    }

    void aValidUserAppearsAtOnce()
    {
        action("addUser")->trigger();
        auto* form = child<UserForm>("");
        QVERIFY(form);
        QTRY_VERIFY(form->isVisible());
        QTest::keyClicks(child<QLineEdit>("email", form), QStringLiteral("ada@example.org"));
        QTest::keyClicks(child<QLineEdit>("name", form), QStringLiteral("Ada Lovelace"));
        QTest::keyClick(child<QLineEdit>("name", form), Qt::Key_Return);
        QTRY_VERIFY(!child<UserForm>(""));
        m_window->showPage(MainWindow::Users);
        auto* users = child<QTableView>("usersView");
        QCOMPARE(users->model()->rowCount(), 1);
        QCOMPARE(users->model()->index(0, UserListModel::Email).data().toString(),
                 QStringLiteral("ada@example.org"));
        QCOMPARE(users->model()->index(0, UserListModel::Name).data().toString(),
                 QStringLiteral("Ada Lovelace"));
    }

    void anInvalidEmailIsExplainedAndNothingIsStored()
    {
        action("addUser")->trigger();
        auto* form = child<UserForm>("");
        QVERIFY(form);
        QTest::keyClicks(child<QLineEdit>("email", form), QStringLiteral("ada@@example"));
        QTest::keyClicks(child<QLineEdit>("name", form), QStringLiteral("Ada"));
        auto* message = child<QLabel>("emailMessage", form);
        QTRY_VERIFY(message->isVisible());
        QCOMPARE(message->text(), UserValidator::emailProblem(QStringLiteral("ada@@example")));
        QVERIFY(!child<QPushButton>("submit", form)->isEnabled());
        QTest::keyClick(child<QLineEdit>("name", form), Qt::Key_Return);
        QVERIFY(form->isVisible());
        QCOMPARE(*m_workspace->users().count(), 0);
        QCOMPARE(child<QTableView>("usersView")->model()->rowCount(), 0);
    }

    void eachKindOfTaskAddedThroughTheFormRuns_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("simulate") << QStringLiteral("simulate");
        QTest::newRow("checksum") << QStringLiteral("checksum");
        QTest::newRow("command") << QStringLiteral("command");
    }

    void eachKindOfTaskAddedThroughTheFormRuns()
    {
        QFETCH(QString, kind);
        const QString file = writeFile(QStringLiteral("data.txt"), "hello\n");
        QTest::keySequence(m_window.get(), QKeySequence::New); // Add Task
        auto* form = child<TaskForm>("");
        QVERIFY(form);
        auto* kinds = child<QComboBox>("kind", form);
        kinds->setCurrentIndex(kinds->findText(kind));
        if (kind == u"simulate") {
            auto* duration = child<QLineEdit>("duration_ms", form);
            duration->clear();
            QTest::keyClicks(duration, QStringLiteral("1"));
        } else if (kind == u"checksum") {
            FileDialogs::setNextAnswer(file);
            QTest::mouseClick(child<QPushButton>("browsePath", form), Qt::LeftButton);
            QCOMPARE(child<QLineEdit>("path", form)->text(), file);
        } else {
            QTest::keyClicks(child<QLineEdit>("program", form), QStringLiteral("sh"));
            QTest::keyClicks(child<QLineEdit>("args", form),
                             QStringLiteral("-c \"echo queued from the form\""));
        }
        auto* submit = child<QPushButton>("submit", form);
        QTRY_VERIFY(submit->isEnabled());
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_VERIFY(!child<TaskForm>(""));
        m_window->showPage(MainWindow::Tasks);
        QCOMPARE(tasksModel().rowCount(), 1);
        QCOMPARE(tasksModel().index(0, TaskListModel::Kind).data().toString(), kind);
        QTRY_VERIFY2(
            taskState(0) == u"succeeded",
            qPrintable(tasksModel().index(0, TaskListModel::Error).data(Qt::ToolTipRole).toString()));
        QCOMPARE(stored(TaskState::Succeeded), 1);
    }

    void aGoodBatchLoadsRunsAndTheChartsGainPoints()
    {
        QByteArray lines;
        for (int i = 0; i < 300; ++i)
            lines += "{\"duration_ms\":0,\"priority\":" + QByteArray::number(i % 5) + "}\n";
        FileDialogs::setNextAnswer(writeFile(QStringLiteral("good.jsonl"), lines));
        QSignalSpy idle(&m_workspace->pool(), &WorkerPool::idle);
        action("loadBatch")->trigger();
        auto* import = m_window->findChild<BatchImport*>();
        QVERIFY(import);
        QSignalSpy progress(import, &BatchImport::progress);
        QSignalSpy queued(import, &BatchImport::queued);
        QTRY_COMPARE(queued.count(), 1);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().first().value<BatchProgress>().bytesTotal, lines.size());
        QTRY_VERIFY(!idle.isEmpty());
        QTRY_COMPARE(stored(TaskState::Succeeded), 300);
        QCOMPARE(tasksModel().rowCount(), 0); // the hidden Tasks page reads new tasks when shown
        m_window->showPage(MainWindow::Tasks);
        QCOMPARE(tasksModel().rowCount(), 300);
        QTRY_COMPARE(taskState(0), QStringLiteral("succeeded"));

        m_window->showPage(MainWindow::Dashboard);
        m_workspace->pool().sampleNow();
        m_workspace->pool().sampleNow();
        auto* throughput = child<StatsChart>("chart-throughput");
        QVERIFY(throughput);
        QTRY_VERIFY(throughput->pointCount() >= 2);
        QVERIFY(child<QLabel>("totals")->text().contains(QStringLiteral("300 succeeded")));
        QVERIFY(m_window->statusBar()->currentMessage().contains(
            QStringLiteral("Queued 300 task(s) from good.jsonl")));
    }

    void aBadBatchShowsTheLinesAndImportsNothing()
    {
        FileDialogs::setNextAnswer(
            writeFile(QStringLiteral("bad.jsonl"),
                      "{\"duration_ms\":1}\n{\"duration_ms\":-1}\n{\"colour\":\"red\"}\n"));
        action("loadBatch")->trigger();
        QTRY_COMPARE(MessageBoxes::shown().size(), 1);
        const QString shown = MessageBoxes::shown().first();
        QVERIFY2(shown.startsWith(QStringLiteral("bad.jsonl was not imported\n")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("\nline 2: duration_ms: ")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("\nline 3: colour: unknown field")), qPrintable(shown));
        QTRY_VERIFY(!m_window->findChild<BatchImportDialog*>());
        QCOMPARE(storedTotal(), 0);
        QCOMPARE(tasksModel().rowCount(), 0);
    }

    void aCancelledImportImportsNothing()
    {
        QByteArray lines;
        for (int i = 0; i < 50'000; ++i)
            lines += "{\"duration_ms\":0}\n";
        m_window->importBatch(writeFile(QStringLiteral("big.jsonl"), lines));
        auto* dialog = m_window->findChild<BatchImportDialog*>();
        QVERIFY(dialog);
        auto* import = dialog->findChild<BatchImport*>();
        QSignalSpy cancelled(import, &BatchImport::cancelled);
        emit dialog->canceled(); // what the Cancel button sends
        QTRY_COMPARE(cancelled.count(), 1);
        QTRY_VERIFY(!m_window->findChild<BatchImportDialog*>());
        QCOMPARE(storedTotal(), 0);
        QCOMPARE(m_workspace->pool().counters().pending, 0);
        QVERIFY(MessageBoxes::shown().isEmpty()); // cancelling is not an error
    }

    void aBatchThatRunsProgramsIsShownFirst()
    {
        const QString path =
            writeFile(QStringLiteral("commands.jsonl"),
                      "{\"kind\":\"command\",\"program\":\"true\"}\n"
                      "{\"kind\":\"command\",\"program\":\"sh\",\"args\":[\"-c\",\"exit 0\"]}\n"
                      "{\"duration_ms\":0}\n");
        MessageBoxes::setNextAnswer(false);
        m_window->importBatch(path);
        QTRY_COMPARE(MessageBoxes::shown().size(), 1);
        const QString question = MessageBoxes::shown().first();
        QVERIFY2(question.contains(QStringLiteral("3 tasks")), qPrintable(question));
        QVERIFY2(question.contains(QStringLiteral("sh")) && question.contains(QStringLiteral("true")),
                 qPrintable(question));
        QTRY_VERIFY(!m_window->findChild<BatchImportDialog*>());
        QCOMPARE(storedTotal(), 0);

        MessageBoxes::setNextAnswer(true);
        m_window->importBatch(path);
        QTRY_COMPARE(stored(TaskState::Succeeded), 3);
    }

    void pauseStopsDispatch()
    {
        action("pause")->trigger();
        QVERIFY(m_workspace->pool().isPaused());
        QCOMPARE(action("pause")->text(), QStringLiteral("&Resume"));
        QByteArray lines;
        for (int i = 0; i < 20; ++i)
            lines += "{\"duration_ms\":0}\n";
        auto* tasksView = child<QTableView>("tasksView");
        m_window->showPage(MainWindow::Tasks);
        m_window->importBatch(writeFile(QStringLiteral("paused.jsonl"), lines));
        QTRY_COMPARE(tasksView->model()->rowCount(), 20);
        m_workspace->pool().tick();
        QCOMPARE(m_workspace->pool().counters().pending, 20);
        QCOMPARE(m_workspace->pool().counters().running, 0);
        QCOMPARE(taskState(0), QStringLiteral("pending"));

        action("pause")->trigger();
        QVERIFY(!m_workspace->pool().isPaused());
        QTRY_COMPARE(stored(TaskState::Succeeded), 20);
        QTRY_COMPARE(taskState(19), QStringLiteral("succeeded"));
    }

    void theWorkerCountInTheToolbarResizesThePoolAndIsRemembered()
    {
        auto* workers = child<QSpinBox>("toolbarWorkers");
        QCOMPARE(workers->value(), 2);
        workers->selectAll();
        QTest::keyClicks(workers, QStringLiteral("5"));
        QCOMPARE(m_workspace->pool().workerCount(), 5);
        QSettings stored;
        QCOMPARE(AppSettings::load(stored).workers, 5);
    }

    void settingsApplyToThePool()
    {
        AppSettings settings = m_window->settings();
        settings.workers = 3;
        settings.backoffBaseMs = 10;
        settings.backoffCapMs = 20;
        settings.defaultTimeoutMs = 4321;
        m_window->applySettings(settings);
        QCOMPARE(m_workspace->pool().workerCount(), 3);
        QCOMPARE(child<QSpinBox>("toolbarWorkers")->value(), 3);
        QSettings stored;
        QCOMPARE(AppSettings::load(stored), settings);
        // New tasks without a timeout of their own get the default.
        m_window->showPage(MainWindow::Tasks);
        m_window->importBatch(writeFile(QStringLiteral("t.jsonl"), "{\"duration_ms\":0}\n"));
        QTRY_COMPARE(tasksModel().rowCount(), 1);
        QCOMPARE(test::sqlText(m_workspace->database(), QStringLiteral("SELECT timeout_ms FROM tasks")),
                 QStringLiteral("4321"));
    }

    void theGeometryAndPageAreRemembered()
    {
        m_window->resize(900, 640);
        m_window->showPage(MainWindow::Users);
        child<DashboardPage>("")->setWindowSeconds(3600);
        m_window->close();
        m_window.reset();
        openWindow();
        QCOMPARE(m_window->size(), QSize(900, 640));
        QCOMPARE(child<QTabWidget>("pages")->currentIndex(), int(MainWindow::Users));
        QCOMPARE(child<DashboardPage>("")->windowSeconds(), 3600);
    }

    void aStoredChartWindowTheSelectorLacksIsIgnored()
    {
        m_window->close();
        m_window.reset();
        QSettings().setValue(QStringLiteral("window/chartSeconds"), 7);
        openWindow();
        QCOMPARE(child<DashboardPage>("")->windowSeconds(), DashboardPage::WindowChoices[0]);
    }

    void shortcutsSwitchPages()
    {
        QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_2));
        QCOMPARE(child<QTabWidget>("pages")->currentIndex(), int(MainWindow::Tasks));
        QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_1));
        QCOMPARE(child<QTabWidget>("pages")->currentIndex(), int(MainWindow::Dashboard));
    }

    void aTaskThatFailsForGoodIsNotifiedWhileTheWindowIsInactive()
    {
        QWidget elsewhere; // the person looks at another window
        elsewhere.show();
        elsewhere.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&elsewhere));
        QVERIFY(!m_window->isActiveWindow());
        m_window->importBatch(writeFile(QStringLiteral("fails.jsonl"),
                                        "{\"duration_ms\":0,\"fail_attempts\":5,\"max_retries\":1}\n"));
        QTRY_COMPARE(stored(TaskState::Failed), 1);
        QTRY_VERIFY(m_window->notifier().sentCount() >= 2);
        QVERIFY2(m_window->notifier().lastMessage().startsWith(
                     QStringLiteral("Batch finished: fails.jsonl: 0 succeeded, 1 failed")),
                 qPrintable(m_window->notifier().lastMessage()));
    }

    void theDashboardExportsAsPng()
    {
        const QString path = m_dir.filePath(QStringLiteral("dashboard.png"));
        FileDialogs::setNextAnswer(path);
        action("exportDashboard")->trigger();
        QImageReader reader(path);
        QCOMPARE(reader.format(), QByteArray("png"));
        QVERIFY(reader.size().width() > 100);

        FileDialogs::setNextAnswer(m_dir.filePath(QStringLiteral("no-such-folder/dashboard.png")));
        action("exportDashboard")->trigger();
        QCOMPARE(MessageBoxes::shown().size(), 1);
        QVERIFY(MessageBoxes::shown().first().contains(QStringLiteral("could not be saved")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
