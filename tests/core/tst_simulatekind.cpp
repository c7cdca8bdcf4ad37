#include "SimulateKind.h"
#include "TaskContext.h"

#include <QTest>
#include <QThread>

using namespace workdeck;

class TestSimulateKind : public QObject {
    Q_OBJECT

private:
    SimulateKind m_kind;

    static TaskContext::Clock::time_point farAway()
    {
        return TaskContext::Clock::now() + std::chrono::hours(1);
    }

private slots:
    void defaultsDependOnPriority()
    {
        const auto params = m_kind.parseParams({}, 4);
        QVERIFY(params.ok());
        const auto& p = static_cast<const SimulateParams&>(**params);
        QCOMPARE(p.durationMs, 300);
        QCOMPARE(p.failAttempts, 0);
        QCOMPARE(p.toJson(),
                 (QJsonObject{{QStringLiteral("duration_ms"), 300}, {QStringLiteral("fail_attempts"), 0}}));
    }

    void rejectsBadParameters_data()
    {
        QTest::addColumn<QJsonObject>("params");
        QTest::addColumn<QString>("message");
        const QString d = QStringLiteral("duration_ms");
        const QString f = QStringLiteral("fail_attempts");
        QTest::newRow("string")
            << QJsonObject{{d, QStringLiteral("5")}}
            << QStringLiteral("duration_ms: must be an integer from 0 to 86400000, not the text \"5\"");
        QTest::newRow("fraction") << QJsonObject{{d, 1.5}}
                                  << QStringLiteral(
                                         "duration_ms: must be an integer from 0 to 86400000, not 1.5");
        QTest::newRow("negative") << QJsonObject{{d, -1}}
                                  << QStringLiteral(
                                         "duration_ms: must be an integer from 0 to 86400000, not -1");
        QTest::newRow("too many failures")
            << QJsonObject{{f, 256}}
            << QStringLiteral("fail_attempts: must be an integer from 0 to 255, not 256");
        QTest::newRow("null") << QJsonObject{{f, QJsonValue()}}
                              << QStringLiteral("fail_attempts: must be an integer from 0 to 255, not null");
        QTest::newRow("unknown field")
            << QJsonObject{{QStringLiteral("duration"), 5}} << QStringLiteral("duration: unknown field");
    }

    void rejectsBadParameters()
    {
        QFETCH(QJsonObject, params);
        QFETCH(QString, message);
        const auto parsed = m_kind.parseParams(params, 0);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message, message);
    }

    void failsItsFirstAttemptsThenSucceeds()
    {
        const auto params =
            m_kind.parseParams({{QStringLiteral("duration_ms"), 0}, {QStringLiteral("fail_attempts"), 2}}, 0);
        for (int attempt = 1; attempt <= 3; ++attempt) {
            TaskContext context(3, attempt, farAway());
            const auto outcome = m_kind.run(**params, context);
            if (attempt <= 2) {
                QCOMPARE(outcome.status, AttemptOutcome::Status::Failed);
                QCOMPARE(outcome.error, QStringLiteral("simulated failure"));
            } else {
                QCOMPARE(outcome.status, AttemptOutcome::Status::Succeeded);
                QCOMPARE(outcome.output, QStringLiteral("simulated by worker 3"));
            }
        }
    }

    void stopsWhenAskedFromAnotherThread()
    {
        const auto params = m_kind.parseParams({{QStringLiteral("duration_ms"), 86'400'000}}, 0);
        TaskContext context(1, 1, farAway());
        std::unique_ptr<QThread> stopper(
            QThread::create([&context] { context.requestStop(TaskContext::StopReason::Cancel); }));
        stopper->start();
        const auto outcome = m_kind.run(**params, context);
        stopper->wait();
        QCOMPARE(outcome.status, AttemptOutcome::Status::Stopped);
        QCOMPARE(context.stopReason(), TaskContext::StopReason::Cancel);
    }

    void stopsAtItsDeadline()
    {
        const auto params = m_kind.parseParams({{QStringLiteral("duration_ms"), 86'400'000}}, 0);
        TaskContext context(1, 1, TaskContext::Clock::now() + std::chrono::milliseconds(20));
        const auto outcome = m_kind.run(**params, context);
        QCOMPARE(outcome.status, AttemptOutcome::Status::Stopped);
        QCOMPARE(context.stopReason(), TaskContext::StopReason::Timeout);
    }
};

QTEST_GUILESS_MAIN(TestSimulateKind)
#include "tst_simulatekind.moc"
