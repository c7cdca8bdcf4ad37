#include "ConnectionThread.h"

#include <QSemaphore>
#include <QTest>

#include <atomic>

using namespace workdeck;

class TestConnectionThread : public QObject {
    Q_OBJECT

private slots:
    void startReturnsOnceTheThreadHasOpenedItsConnection()
    {
        ConnectionThread thread;
        QSemaphore carryOn;
        std::atomic<bool> working{false};
        QThread* ranOn = nullptr;
        const auto started = thread.start(QStringLiteral("test-thread"), QThread::InheritPriority, [&] {
            ranOn = QThread::currentThread();
            thread.opened();
            working = true;
            carryOn.acquire(); // the body goes on after saying it opened
        });
        QVERIFY(started.ok());
        QVERIFY(ranOn != nullptr && ranOn != QThread::currentThread());
        QCOMPARE(ranOn->objectName(), QStringLiteral("test-thread"));
        QVERIFY(!thread.finished());
        carryOn.release();
        thread.wait();
        QVERIFY(thread.finished());
        QVERIFY(working);
    }

    void aThreadThatCannotOpenHasEndedWhenStartSaysWhy()
    {
        ConnectionThread thread;
        const auto started = thread.start(QStringLiteral("test-thread"), QThread::LowPriority,
                                          [&] { thread.opened(QStringLiteral("no such folder")); });
        QVERIFY(!started.ok());
        QCOMPARE(started.error().message, QStringLiteral("no such folder"));
        QVERIFY(thread.finished());
    }
};

QTEST_GUILESS_MAIN(TestConnectionThread)
#include "tst_connectionthread.moc"
