#include "MainWindow.h"
#include "TestKinds.h"
#include "WorkerPool.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace workdeck;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void showsTheCountersOfThePool()
    {
        test::TestRegistry kinds;
        WorkerPool::Options options;
        options.workers = 2;
        WorkerPool pool(kinds.registry, options);
        MainWindow window(pool);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), QStringLiteral("Workdeck"));

        QSignalSpy idle(&pool, &WorkerPool::idle);
        std::vector<TaskSpec> specs(5, kinds.spec(u"noop"));
        QVERIFY(pool.submitBatch(specs).ok());
        QTRY_COMPARE(idle.count(), 1);
        pool.sampleNow();
        auto* counters = window.findChild<QLabel*>(QStringLiteral("counters"));
        QVERIFY(counters);
        QVERIFY2(counters->text().contains(QStringLiteral("Succeeded 5")), qPrintable(counters->text()));
        QVERIFY(counters->text().contains(QStringLiteral("Workers 2")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
