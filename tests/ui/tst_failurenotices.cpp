#include "FailureNotices.h"
#include "Notifier.h"

#include <QTest>
#include <QWidget>

using namespace workdeck;

/// Failures told as desktop notifications: at once after a quiet spell, together while they
/// keep coming.
class TestFailureNotices : public QObject {
    Q_OBJECT

    static TaskEvent event(TaskId id, TaskState state, const QString& error = {})
    {
        TaskEvent e;
        e.id = id;
        e.state = state;
        e.error = error;
        return e;
    }

private slots:
    void theFirstIsToldAtOnceAndTheRestTogether()
    {
        QWidget window; // never shown, so never the active window: every message is sent
        Notifier notifier(&window);
        FailureNotices notices(notifier, 50);

        notices.add({event(1, TaskState::Succeeded), event(2, TaskState::Running)});
        QCOMPARE(notifier.sentCount(), 0);

        notices.add({event(3, TaskState::Failed, QStringLiteral("exit 1"))});
        QCOMPARE(notifier.sentCount(), 1);
        QCOMPARE(notifier.lastMessage(), QStringLiteral("A task failed: Task 3: exit 1"));

        notices.add({event(4, TaskState::Failed, QStringLiteral("exit 4")), event(5, TaskState::Succeeded)});
        notices.add({event(6, TaskState::Failed, QStringLiteral("exit 6")),
                     event(7, TaskState::Failed, QStringLiteral("exit 7"))});
        QCOMPARE(notifier.sentCount(), 1); // held back
        QCOMPARE(notices.held(), 3);
        QTRY_COMPARE(notifier.sentCount(), 2);
        QCOMPARE(notifier.lastMessage(),
                 QStringLiteral("Tasks failed: 3 more tasks failed for good, the first 4: exit 4"));
        QCOMPARE(notices.held(), 0);

        // Quiet through a whole hold: the next one is told at once again.
        QTRY_VERIFY(!notices.holding());
        QCOMPARE(notifier.sentCount(), 2);
        notices.add({event(8, TaskState::Failed, QStringLiteral("exit 8")),
                     event(9, TaskState::Failed, QStringLiteral("exit 9"))});
        QCOMPARE(notifier.sentCount(), 3);
        QCOMPARE(notifier.lastMessage(),
                 QStringLiteral("Tasks failed: 2 tasks failed for good, the first 8: exit 8"));
    }

    void flushTellsWhatIsHeldAndNothingElse()
    {
        QWidget window;
        Notifier notifier(&window);
        FailureNotices notices(notifier, 60'000);
        notices.flush();
        QCOMPARE(notifier.sentCount(), 0);
        notices.add({event(1, TaskState::Failed, QStringLiteral("a"))});
        notices.add({event(2, TaskState::Failed, QStringLiteral("b"))});
        QCOMPARE(notifier.sentCount(), 1);
        notices.flush();
        QCOMPARE(notifier.sentCount(), 2);
        QCOMPARE(notifier.lastMessage(), QStringLiteral("A task failed: Task 2: b"));
        notices.flush();
        QCOMPARE(notifier.sentCount(), 2);
    }
};

QTEST_MAIN(TestFailureNotices)
#include "tst_failurenotices.moc"
