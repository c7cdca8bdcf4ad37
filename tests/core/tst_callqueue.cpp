#include "CallQueue.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace workdeck;

class TestCallQueue : public QObject {
    Q_OBJECT

private slots:
    void callsPostedFromAnotherThreadRunInTheOwnersThreadInOrder()
    {
        QObject owner;
        auto* queue = new CallQueue(&owner);
        std::vector<int> ran;
        std::vector<QThread*> ranOn;
        std::unique_ptr<QThread> poster(QThread::create([&] {
            for (int i = 0; i < 1000; ++i) {
                queue->post([&ran, &ranOn, i] {
                    ran.push_back(i);
                    ranOn.push_back(QThread::currentThread());
                });
            }
        }));
        poster->start();
        QVERIFY(poster->wait(10'000));
        QVERIFY(ran.empty()); // nothing runs until the owner's thread gets to its events
        QTRY_COMPARE(ran.size(), std::size_t{1000});
        for (int i = 0; i < 1000; ++i) {
            QCOMPARE(ran[static_cast<std::size_t>(i)], i);
            QCOMPARE(ranOn[static_cast<std::size_t>(i)], QThread::currentThread());
        }
    }

    void aCallPostedWhileOneRunsRunsAfterIt()
    {
        QObject owner;
        auto* queue = new CallQueue(&owner);
        std::vector<QString> ran;
        queue->post([&] {
            queue->post([&] { ran.push_back(QStringLiteral("second")); });
            ran.push_back(QStringLiteral("first"));
        });
        QTRY_COMPARE(ran.size(), std::size_t{2});
        QCOMPARE(ran, (std::vector<QString>{QStringLiteral("first"), QStringLiteral("second")}));
    }

    void callsNotRunWhenTheOwnerIsGoneAreDropped()
    {
        int ran = 0;
        {
            QObject owner;
            auto* queue = new CallQueue(&owner);
            queue->post([&ran] { ++ran; });
        }
        QCoreApplication::processEvents();
        QCOMPARE(ran, 0);
        // A queue made afterwards runs its own calls, and only those.
        QObject owner;
        auto* queue = new CallQueue(&owner);
        queue->post([&ran] { ran += 10; });
        QTRY_COMPARE(ran, 10);
    }
};

QTEST_GUILESS_MAIN(TestCallQueue)
#include "tst_callqueue.moc"
