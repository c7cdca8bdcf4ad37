#include "MainWindow.h"
#include "MessageBoxes.h"
#include "RecoveryBanner.h"
#include "TaskListModel.h"
#include "TaskStore.h"
#include "TasksPage.h"
#include "TestKinds.h"
#include "UserForm.h"
#include "UserListModel.h"
#include "UsersPage.h"
#include "Workspace.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace workdeck;
using test::TestRegistry;

/// The Users page, and what connects it to the Tasks page, over a real database.
class TestUsersPage : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    QString path() const { return m_dir.filePath(QStringLiteral("u.sqlite")); }

    void openWorkspace()
    {
        WorkerPool::Options options;
        options.workers = 1;
        auto workspace = Workspace::open(path(), m_kinds.registry, options);
        QVERIFY(workspace.ok());
        m_workspace = std::move(*workspace);
    }
    User addUser(const QString& email, const QString& name)
    {
        auto user = m_workspace->users().create({email, name});
        return user ? *user : User{};
    }
    void storeTasks(const QString& userId, int count)
    {
        std::vector<TaskSpec> specs(static_cast<std::size_t>(count),
                                    m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 1}}));
        for (auto& spec : specs)
            spec.userId = userId;
        QVERIFY(TaskStore(m_workspace->database(), m_kinds.registry).insert(specs).ok());
    }
    int rowOf(UserListModel& model, const QString& email)
    {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.user(row).email == email)
                return row;
        }
        return -1;
    }
    void select(UsersPage& page, int row)
    {
        page.view().selectionModel()->select(page.model().index(row, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
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
        QFile::remove(path());
        openWorkspace();
    }
    void cleanup()
    {
        if (m_workspace)
            QVERIFY(m_workspace->close(0).ok());
        m_workspace.reset();
    }

    void listsUsersWithTheirTasksByState()
    {
        const User ada = addUser(QStringLiteral("ada@example.com"), QStringLiteral("Ada"));
        addUser(QStringLiteral("grace@example.org"), QStringLiteral("Grace"));
        storeTasks(ada.id, 4);
        QVERIFY(m_workspace->database()
                    .exec("UPDATE tasks SET state = 'failed' WHERE id = 1;"
                          "UPDATE tasks SET state = 'succeeded' WHERE id IN (2, 3)")
                    .ok());
        UsersPage page(*m_workspace);
        QAbstractItemModelTester tester(&page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int row = rowOf(page.model(), QStringLiteral("ada@example.com"));
        QVERIFY(row >= 0);
        UserListModel& model = page.model();
        QCOMPARE(model.index(row, UserListModel::Active).data().toString(), QStringLiteral("1"));
        QCOMPARE(model.index(row, UserListModel::Succeeded).data().toString(), QStringLiteral("2"));
        QCOMPARE(model.index(row, UserListModel::Failed).data().toString(), QStringLiteral("1"));
        QCOMPARE(model.index(rowOf(model, QStringLiteral("grace@example.org")), UserListModel::Active)
                     .data()
                     .toString(),
                 QStringLiteral("0"));
    }

    void searchNarrowsTheList()
    {
        addUser(QStringLiteral("ada@example.com"), QStringLiteral("Ada Lovelace"));
        addUser(QStringLiteral("grace@example.org"), QStringLiteral("Grace Hopper"));
        UsersPage page(*m_workspace);
        page.show();
        auto* search = page.findChild<QLineEdit*>(QStringLiteral("userSearch"));
        QTest::keyClicks(search, QStringLiteral("hop"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(page.model().rowCount(), 1);
        QCOMPARE(page.model().user(0).name, QStringLiteral("Grace Hopper"));
        search->clear();
        QTest::keyClicks(search, QStringLiteral("\"'); DROP TABLE users;--"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(page.model().rowCount(), 0);
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("usersCaption"))->text(),
                 QStringLiteral("Nobody matches."));
        QCOMPARE(*m_workspace->users().count(), 2);
    }

    void editChangesTheUser()
    {
        addUser(QStringLiteral("ada@example.com"), QStringLiteral("Ada"));
        UsersPage page(*m_workspace);
        page.show();
        select(page, 0);
        UserForm* form = page.openForm(true);
        QVERIFY(form);
        auto* name = form->findChild<QLineEdit*>(QStringLiteral("name"));
        QVERIFY(name);
        QCOMPARE(name->text(), QStringLiteral("Ada"));
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("Ada King"));
        QTest::keyClick(name, Qt::Key_Return);
        QTRY_COMPARE(page.model().user(0).name, QStringLiteral("Ada King"));
        QCOMPARE(m_workspace->users().findByEmail(QStringLiteral("ada@example.com"))->name,
                 QStringLiteral("Ada King"));
    }

    void deleteIsRefusedWhileTheUserHasPendingTasks()
    {
        const User ada = addUser(QStringLiteral("ada@example.com"), QStringLiteral("Ada"));
        storeTasks(ada.id, 1);
        UsersPage page(*m_workspace);
        page.show();
        select(page, 0);
        MessageBoxes::setNextAnswer(true);
        page.deleteAction()->trigger();
        QVERIFY2(MessageBoxes::shown().last().contains(u"pending or running"),
                 qPrintable(MessageBoxes::shown().last()));
        QCOMPARE(page.model().rowCount(), 1);

        QVERIFY(m_workspace->database().exec("UPDATE tasks SET state = 'succeeded'").ok());
        select(page, 0);
        MessageBoxes::setNextAnswer(true);
        page.deleteAction()->trigger();
        QCOMPARE(page.model().rowCount(), 0);
    }

    void choosingAUserShowsTheirTasks()
    {
        const User ada = addUser(QStringLiteral("ada@example.com"), QStringLiteral("Ada"));
        storeTasks(ada.id, 2);
        storeTasks({}, 3);
        QVERIFY(m_workspace->start().ok());
        MainWindow window(*m_workspace, AppSettings::defaults());
        window.show();
        window.showPage(MainWindow::Users);
        auto* users = window.findChild<UsersPage*>();
        select(*users, 0);
        users->showTasksAction()->trigger();
        QCOMPARE(window.findChild<QTabWidget*>(QStringLiteral("pages"))->currentIndex(),
                 int(MainWindow::Tasks));
        auto* tasks = window.findChild<TasksPage*>();
        QCOMPARE(tasks->findChild<QLineEdit*>(QStringLiteral("taskUserFilter"))->text(),
                 QStringLiteral("ada@example.com"));
        QCOMPARE(tasks->model().rowCount(), 2);
        QCOMPARE(tasks->model().row(0).userEmail, QStringLiteral("ada@example.com"));
    }

    void aBannerTellsWhatRecoveryDidAndLinksToThoseTasks()
    {
        storeTasks({}, 4);
        QVERIFY(m_workspace->database()
                    .exec("UPDATE tasks SET state = 'running', attempts = 1 WHERE id IN (2, 3);"
                          "UPDATE tasks SET max_retries = 2 WHERE id = 2")
                    .ok());
        m_workspace->pool().pause();
        QVERIFY(m_workspace->start().ok());
        m_workspace->pool().pause();
        MainWindow window(*m_workspace, AppSettings::defaults());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* banner = window.findChild<RecoveryBanner*>();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(u"1 back in the queue"), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(u"1 failed as"));
        emit banner->findChild<QLabel*>(QStringLiteral("recoveryText"))
            ->linkActivated(QStringLiteral("#recovered"));
        auto* tasks = window.findChild<TasksPage*>();
        QCOMPARE(window.findChild<QTabWidget*>(QStringLiteral("pages"))->currentIndex(),
                 int(MainWindow::Tasks));
        QCOMPARE(tasks->model().rowCount(), 2);
        QCOMPARE(tasks->model().idAt(0), TaskId(3));
        QCOMPARE(tasks->model().idAt(1), TaskId(2));
        QTest::mouseClick(banner->findChild<QToolButton*>(QStringLiteral("dismissRecovery")), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
    }

    void noBannerWithoutRecovery()
    {
        QVERIFY(m_workspace->start().ok());
        MainWindow window(*m_workspace, AppSettings::defaults());
        window.show();
        QVERIFY(!window.findChild<RecoveryBanner*>()->isVisible());
    }
};

QTEST_MAIN(TestUsersPage)
#include "tst_userspage.moc"
