#include "FileDialogs.h"
#include "MessageBoxes.h"
#include "SearchIndex.h"
#include "TaskCsvExport.h"
#include "TaskDetailView.h"
#include "TaskListModel.h"
#include "TaskStore.h"
#include "TasksPage.h"
#include "TestKinds.h"
#include "UserStore.h"
#include "Workspace.h"
#include "WriteLockHolder.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;
using test::TestRegistry;

/// The Tasks page over a real database, driven as a person would drive it.
class TestTasksPage : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<TasksPage> m_page;
    QString m_grace;

    Database& db() { return m_workspace->database(); }
    void exec(const QString& sql) { QVERIFY2(db().exec(sql.toUtf8().constData()).ok(), qPrintable(sql)); }

    /// Tasks stored but not run (the pool has not started): `count` simulate tasks with their
    /// priority cycling through 0..3, every third one submitted by Grace.
    void store(int count)
    {
        std::vector<TaskSpec> specs;
        for (int i = 0; i < count; ++i) {
            TaskSpec spec = m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 1}}, i % 4);
            if (i % 3 == 0)
                spec.userId = m_grace;
            specs.push_back(std::move(spec));
        }
        QVERIFY(TaskStore(db(), m_kinds.registry).insert(specs).ok());
    }
    /// Tasks queued in the pool, which holds them pending until it starts: `count` long
    /// simulate tasks, every other one submitted by Grace.
    void queueLong(int count)
    {
        std::vector<TaskSpec> specs;
        for (int i = 0; i < count; ++i) {
            TaskSpec spec = m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 60'000}});
            if (i % 2 == 0)
                spec.userId = m_grace;
            specs.push_back(std::move(spec));
        }
        QVERIFY(m_workspace->queue(std::move(specs)).ok());
    }
    QString missingFile() const { return m_dir.filePath(QStringLiteral("later.bin")); }
    /// Checksums of a file that does not exist yet, run until they have failed.
    void runFailingChecksums(int count)
    {
        QFile::remove(missingFile());
        std::vector<TaskSpec> specs(static_cast<std::size_t>(count),
                                    m_kinds.spec(u"checksum", {{QStringLiteral("path"), missingFile()}}));
        QVERIFY(m_workspace->start().ok());
        QVERIFY(m_workspace->queue(std::move(specs)).ok());
        QTRY_VERIFY(m_workspace->pool().isIdle());
    }
    void createMissingFile()
    {
        QFile file(missingFile());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("now it exists");
    }
    void openPage()
    {
        m_page = std::make_unique<TasksPage>(*m_workspace);
        m_page->resize(1000, 600);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        // Shortcuts reach only the active window.
        QApplication::setActiveWindow(m_page.get());
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        m_page->view().setFocus();
    }
    template <typename T> T* child(const char* name) { return m_page->findChild<T*>(QLatin1String(name)); }
    TaskListModel& model() { return m_page->model(); }
    QList<TaskId> shownIds()
    {
        QList<TaskId> ids;
        for (int row = 0; row < model().rowCount(); ++row)
            ids.append(model().idAt(row));
        return ids;
    }
    void selectRows(const QList<int>& rows)
    {
        QTableView& view = m_page->view();
        view.clearSelection();
        for (int row : rows)
            view.selectionModel()->select(model().index(row, 0),
                                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    QString storedState(TaskId id)
    {
        m_workspace->pool().flushEvents();
        if (!m_workspace->writer().flush())
            return {};
        QSqlQuery q = db().query();
        q.prepare(QStringLiteral("SELECT state FROM tasks WHERE id = ?"));
        q.addBindValue(static_cast<qint64>(id));
        return q.exec() && q.next() ? q.value(0).toString() : QStringLiteral("(gone)");
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        MessageBoxes::setTestMode(true);
    }
    void init()
    {
        QSettings().clear();
        MessageBoxes::clearShown();
        FileDialogs::clearNextAnswers();
        QFile::remove(m_dir.filePath(QStringLiteral("p.sqlite")));
        WorkerPool::Options options;
        options.workers = 2;
        options.backoffBaseMs = 0;
        auto workspace =
            Workspace::open(m_dir.filePath(QStringLiteral("p.sqlite")), m_kinds.registry, options);
        QVERIFY(workspace.ok());
        m_workspace = std::move(*workspace);
        auto grace =
            m_workspace->users().create({QStringLiteral("grace@example.org"), QStringLiteral("Grace")});
        QVERIFY(grace.ok());
        m_grace = grace->id;
    }
    void cleanup()
    {
        m_page.reset();
        if (m_workspace)
            QVERIFY(m_workspace->close(0).ok());
        m_workspace.reset();
    }

    void theModelPagesSortsAndFollowsChangesCorrectly()
    {
        store(2500);
        {
            // Sorting resets the model; the tester fetches more from inside its reset checks,
            // which it then reports as a change in flight, so order is checked without it.
            TaskListModel sorted(db());
            sorted.sort(TaskListModel::Priority, Qt::DescendingOrder);
            QCOMPARE(sorted.rowCount(), TaskListModel::PageSize);
            QCOMPARE(sorted.index(0, TaskListModel::Priority).data().toInt(), 3);
            QCOMPARE(sorted.idAt(0), TaskId(2500)); // ties go newest first
            sorted.sort(TaskListModel::Duration, Qt::AscendingOrder);
            QCOMPARE(sorted.idAt(0), TaskId(1));
        }
        TaskListModel model(db());
        model.reload();
        QCOMPARE(model.rowCount(), TaskListModel::PageSize);
        QVERIFY(model.canFetchMore({}));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 2500);
        QCOMPARE(model.idAt(0), TaskId(2500));
        QCOMPARE(model.idAt(2499), TaskId(1));

        TaskEvent failed;
        failed.id = 2499;
        failed.state = TaskState::Failed;
        failed.attempts = 1;
        failed.error = QStringLiteral("disk full\nsecond line");
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.apply({failed});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.index(1, TaskListModel::State).data().toString(), QStringLiteral("failed"));
        QCOMPARE(model.index(1, TaskListModel::Error).data().toString(), QStringLiteral("disk full"));

        store(3); // new tasks appear on top when the model hears of them
        TaskEvent running;
        running.id = 2503;
        running.state = TaskState::Running;
        QSignalSpy newer(&model, &TaskListModel::newerAvailable);
        model.apply({running});
        QCOMPARE(newer.count(), 1);
        model.addNewer();
        QCOMPARE(model.idAt(0), TaskId(2503));
        QCOMPARE(model.rowOf(2500), 3);
    }

    void stateKindAndUserFiltersNarrowTheList()
    {
        store(9);
        exec(QStringLiteral("UPDATE tasks SET state = 'failed' WHERE id IN (2, 4, 7)"));
        openPage();
        QCOMPARE(model().rowCount(), 9);
        auto* state = child<QComboBox>("taskStateFilter");
        state->setCurrentIndex(state->findText(QStringLiteral("failed")));
        QCOMPARE(shownIds(), (QList<TaskId>{7, 4, 2}));
        QCOMPARE(child<QLabel>("tasksCaption")->text(), QStringLiteral("3 matching tasks."));

        auto* user = child<QLineEdit>("taskUserFilter");
        QTest::keyClicks(user, QStringLiteral("GRACE@example.org"));
        QTest::keyClick(user, Qt::Key_Return);
        QCOMPARE(shownIds(), (QList<TaskId>{7, 4}));

        user->clear();
        QTest::keyClicks(user, QStringLiteral("nobody@example.org"));
        QTest::keyClick(user, Qt::Key_Return);
        QVERIFY(child<QLabel>("taskUserProblem")->isVisible());
        QCOMPARE(shownIds(), (QList<TaskId>{7, 4, 2}));

        auto* kind = child<QComboBox>("taskKindFilter");
        kind->setCurrentIndex(kind->findText(QStringLiteral("checksum")));
        QVERIFY(shownIds().isEmpty());
        QCOMPARE(child<QLabel>("tasksCaption")->text(), QStringLiteral("No task matches."));
    }

    void searchFindsOutputAndErrors()
    {
        store(5);
        exec(QStringLiteral(
            "UPDATE tasks SET state = 'failed', error = 'Connection refused by upstream' WHERE id = 3"));
        QVERIFY(SearchIndex(db()).addNew().ok());
        openPage();
        auto* search = child<QLineEdit>("taskSearch");
        QTest::keyClicks(search, QStringLiteral("upstr"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(shownIds(), (QList<TaskId>{3}));
        search->clear();
        QTest::keyClicks(search, QStringLiteral("Robert'); DROP TABLE tasks;--"));
        QTest::keyClick(search, Qt::Key_Return);
        QVERIFY(shownIds().isEmpty());
        QVERIFY(model().problem().isEmpty());
        QCOMPARE(*db().scalar(QStringLiteral("SELECT count(*) FROM tasks")), 5);
    }

    void selectingATaskShowsItsDetail()
    {
        store(2);
        exec(QStringLiteral(
            "UPDATE tasks SET state = 'failed', attempts = 1, started_at = 1000, finished_at = 1300, "
            "output = 'partial <b>output</b>', error = 'exit 3: boom' WHERE id = 2"));
        exec(QStringLiteral(
            "INSERT INTO attempts(task_id, attempt, worker, started_at, finished_at, state, error) "
            "VALUES (2, 1, 2, 1000, 1300, 'failed', 'exit 3: boom')"));
        openPage();
        QTest::mouseClick(m_page->view().viewport(), Qt::LeftButton, {},
                          m_page->view().visualRect(model().index(0, TaskListModel::Kind)).center());
        const QString text = m_page->detail().toPlainText();
        QCOMPARE(m_page->detail().taskId(), TaskId(2));
        QVERIFY2(text.contains(u"duration_ms"), qPrintable(text));
        QVERIFY(text.contains(u"worker 2"));
        QVERIFY(text.contains(u"300 ms"));
        QVERIFY(text.contains(u"exit 3: boom"));
        QVERIFY(text.contains(u"partial <b>output</b>")); // shown as text, never as markup
        selectRows({0, 1});
        QVERIFY(m_page->detail().toPlainText().contains(u"2 tasks selected"));
    }

    void rowsReadBeforeTheHistoryIsSavedShowTheLatestState()
    {
        QVERIFY(m_workspace->start().ok());
        m_workspace->pool().pause();
        openPage();
        m_page->hide();
        std::vector<TaskSpec> specs{m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 0}})};
        QVERIFY(m_workspace->queue(std::move(specs)).ok());
        m_page->tasksAdded(); // the hidden page reads the new task when shown
        // Another connection holds the write lock: the history writer cannot save what the task
        // goes through, while the page can still read the database.
        {
            const test::WriteLockHolder lock(m_dir.filePath(QStringLiteral("p.sqlite")));
            QVERIFY(lock.holds());
            m_workspace->pool().resume();
            QTRY_VERIFY(m_workspace->pool().isIdle());
            m_workspace->pool().flushEvents();
            QVERIFY(m_workspace->writer().committed() < m_workspace->writer().posted());

            m_page->show();
            QCOMPARE(model().rowCount(), 1);
            QCOMPARE(model().index(0, TaskListModel::State).data().toString(), QStringLiteral("succeeded"));
            selectRows({0});
            QCOMPARE(m_page->detail().taskId(), TaskId(1));
            QVERIFY(m_page->detail().toPlainText().contains(u"pending")); // what the database holds
        }
        // Once the history is saved the detail is read again.
        QTRY_VERIFY_WITH_TIMEOUT(m_page->detail().toPlainText().contains(u"succeeded"), 15'000);
        QCOMPARE(model().index(0, TaskListModel::State).data().toString(), QStringLiteral("succeeded"));
    }

    void cancelTheSelectedTasks()
    {
        queueLong(3);
        openPage();
        selectRows({0, 2});
        QTest::keyClick(&m_page->view(), Qt::Key_K, Qt::ControlModifier);
        QCOMPARE(storedState(3), QStringLiteral("cancelled"));
        QCOMPARE(storedState(1), QStringLiteral("cancelled"));
        QCOMPARE(storedState(2), QStringLiteral("pending"));
        QTRY_COMPARE(model().index(0, TaskListModel::State).data().toString(), QStringLiteral("cancelled"));
    }

    void retryTheSelectedFailedTasks()
    {
        runFailingChecksums(3);
        QCOMPARE(storedState(1), QStringLiteral("failed"));
        openPage();
        createMissingFile();
        selectRows({0, 2});
        QTest::keyClick(&m_page->view(), Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY(m_workspace->pool().isIdle());
        QCOMPARE(storedState(3), QStringLiteral("succeeded"));
        QCOMPARE(storedState(1), QStringLiteral("succeeded"));
        QCOMPARE(storedState(2), QStringLiteral("failed"));
        QTRY_COMPARE(model().index(0, TaskListModel::State).data().toString(), QStringLiteral("succeeded"));
    }

    void deleteAsksFirstAndRemovesOnlyFinishedTasks()
    {
        store(3);
        exec(QStringLiteral("UPDATE tasks SET state = 'succeeded' WHERE id IN (1, 3)"));
        openPage();
        selectRows({0, 1, 2});
        MessageBoxes::setNextAnswer(false);
        QTest::keyClick(&m_page->view(), Qt::Key_Delete);
        QCOMPARE(model().rowCount(), 3);
        QVERIFY2(MessageBoxes::shown().join(u'|').contains(u"Delete the 3 selected tasks?"),
                 qPrintable(MessageBoxes::shown().join(u'|')));
        selectRows({0, 1, 2});
        MessageBoxes::setNextAnswer(true);
        QTest::keyClick(&m_page->view(), Qt::Key_Delete);
        QCOMPARE(shownIds(), (QList<TaskId>{2}));
        QCOMPARE(storedState(1), QStringLiteral("(gone)"));
    }

    void cancelAllMatchingTheFilter()
    {
        queueLong(6);
        openPage();
        child<QLineEdit>("taskUserFilter")->setText(QStringLiteral("grace@example.org"));
        QTest::keyClick(child<QLineEdit>("taskUserFilter"), Qt::Key_Return);
        QCOMPARE(shownIds(), (QList<TaskId>{5, 3, 1}));
        m_page->cancelAllAction()->trigger();
        for (TaskId id : {1, 3, 5})
            QCOMPARE(storedState(id), QStringLiteral("cancelled"));
        for (TaskId id : {2, 4, 6})
            QCOMPARE(storedState(id), QStringLiteral("pending"));
    }

    void retryAllMatchingTheFilter()
    {
        runFailingChecksums(4);
        openPage();
        createMissingFile();
        auto* state = child<QComboBox>("taskStateFilter");
        state->setCurrentIndex(state->findText(QStringLiteral("failed")));
        m_page->retryAllAction()->trigger();
        QTRY_VERIFY(m_workspace->pool().isIdle());
        for (TaskId id : {1, 2, 3, 4})
            QCOMPARE(storedState(id), QStringLiteral("succeeded"));
    }

    void deleteAllMatchingTheFilter()
    {
        store(6);
        exec(QStringLiteral("UPDATE tasks SET state = 'failed' WHERE id IN (1, 2, 5)"));
        openPage();
        child<QLineEdit>("taskUserFilter")->setText(QStringLiteral("grace@example.org"));
        QTest::keyClick(child<QLineEdit>("taskUserFilter"), Qt::Key_Return); // Grace's: 1 and 4
        MessageBoxes::setNextAnswer(true);
        m_page->deleteAllAction()->trigger();
        QVERIFY(MessageBoxes::shown().last().contains(u"(1)"));
        QCOMPARE(storedState(1), QStringLiteral("(gone)"));
        QCOMPARE(storedState(4), QStringLiteral("pending")); // not finished: kept
        QCOMPARE(storedState(2), QStringLiteral("failed"));
        QCOMPARE(shownIds(), (QList<TaskId>{4}));
    }

    void exportWritesTheFilteredTasks()
    {
        store(7);
        exec(
            QStringLiteral("UPDATE tasks SET state = 'failed', error = 'no, \"quoted\"' WHERE id IN (2, 6)"));
        openPage();
        auto* state = child<QComboBox>("taskStateFilter");
        state->setCurrentIndex(state->findText(QStringLiteral("failed")));
        const QString target = m_dir.filePath(QStringLiteral("failed.csv"));
        FileDialogs::setNextAnswer(target);
        QSignalSpy done(m_page.get(), &TasksPage::exportDone);
        m_page->exportAction()->trigger();
        QTRY_COMPARE(done.count(), 1);
        QFile file(target);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 4); // header, two tasks, and the end of the last line
        QCOMPARE(lines[0].trimmed(), TaskCsvExport::Header.join(u',').toUtf8());
        QVERIFY(lines[1].startsWith("6,simulate,failed,"));
        QVERIFY(lines[1].trimmed().endsWith(",\"no, \"\"quoted\"\"\""));
        QVERIFY(lines[2].startsWith("2,simulate,failed,"));
    }

    void aCancelledExportDialogWritesNothing()
    {
        store(2);
        openPage();
        FileDialogs::setNextAnswer(QString());
        QSignalSpy done(m_page.get(), &TasksPage::exportDone);
        m_page->exportAction()->trigger();
        QCOMPARE(done.count(), 0);
        QCOMPARE(FileDialogs::pendingAnswers(), 0);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("tasks.csv"))));
    }

    void showOnlyListsGivenTasksUntilShowAll()
    {
        store(5);
        openPage();
        m_page->showOnly({2, 4}, QStringLiteral("Recovered."));
        QCOMPARE(shownIds(), (QList<TaskId>{4, 2}));
        auto* only = child<QLabel>("taskOnly");
        QVERIFY(only->isVisible());
        emit only->linkActivated(QStringLiteral("#all"));
        QCOMPARE(model().rowCount(), 5);
        QVERIFY(!only->isVisible());
    }
};

QTEST_MAIN(TestTasksPage)
#include "tst_taskspage.moc"
