#pragma once

#include "KindRegistry.h"
#include "TaskSpec.h"

#include <QList>
#include <QMutex>
#include <QSemaphore>

#include <atomic>
#include <cstdint>
#include <memory>

namespace workdeck::test {

/// Parameters of the test kinds: a number the kind records or reacts to.
struct TagParams final : KindParams {
    explicit TagParams(qint64 value)
        : tag(value)
    {
    }
    qint64 tag = 0;
    QJsonObject toJson() const override { return {{QStringLiteral("tag"), tag}}; }
};

/// Does nothing and succeeds: measures the pool's own cost.
class NoopKind final : public TaskKind {
public:
    QString name() const override { return QStringLiteral("noop"); }
    QStringList parameterNames() const override { return {QStringLiteral("tag")}; }
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;
};

/// Works `tag` microseconds: CPU-bound work of a known size. The work is a fixed number of
/// rounds of arithmetic, measured beforehand (calibrate()), rather than a loop that reads the
/// clock until the time is up: such a loop overshoots by a clock read or two (25 ns each on a
/// virtual machine) and makes a "1 µs" task 5-10% longer than it says.
class SpinKind final : public TaskKind {
public:
    QString name() const override { return QStringLiteral("spin"); }
    QStringList parameterNames() const override { return {QStringLiteral("tag")}; }
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;

    /// Measures how many rounds fill a microsecond with `threads` threads working at once, as
    /// the fastest of several timings, so that the host's interruptions do not count as work.
    /// A task run before any calibration calibrates with one thread.
    static void calibrate(int threads);
    static double roundsPerMicrosecond();
    /// Runs `rounds` rounds; the result only keeps the compiler from dropping them.
    static std::uint64_t work(std::uint64_t rounds);

private:
    static std::atomic<double> s_roundsPerMicrosecond;
};

/// Appends its tag to a shared log, so a test can see the order tasks ran in.
class RecordingKind final : public TaskKind {
public:
    QString name() const override { return QStringLiteral("record"); }
    QStringList parameterNames() const override { return {QStringLiteral("tag")}; }
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;
    QList<qint64> log() const;

private:
    mutable QMutex m_mutex;
    mutable QList<qint64> m_log;
};

/// Throws: std::runtime_error for tag 0, an int for any other tag.
class ThrowingKind final : public TaskKind {
public:
    QString name() const override { return QStringLiteral("throw"); }
    QStringList parameterNames() const override { return {QStringLiteral("tag")}; }
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;
};

/// Never looks at its stop request: blocks until the test opens the gate.
class StuckKind final : public TaskKind {
public:
    QString name() const override { return QStringLiteral("stuck"); }
    QStringList parameterNames() const override { return {QStringLiteral("tag")}; }
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;
    /// Lets every stuck attempt, present and future, return.
    void open() const { m_gate.release(1 << 20); }
    int entered() const { return m_entered.load(); }

private:
    mutable QSemaphore m_gate;
    mutable std::atomic<int> m_entered{0};
};

/// A registry with the built-in kinds plus the test kinds, and direct access to them.
struct TestRegistry {
    TestRegistry();
    KindRegistry registry;
    const RecordingKind* recording = nullptr;
    const StuckKind* stuck = nullptr;

    int kind(QStringView name) const { return registry.indexOf(name); }
    /// A spec of `kind` whose parameters are parsed from `params`; aborts the test on bad input.
    TaskSpec spec(QStringView kind, const QJsonObject& params = {}, int priority = 0, int maxRetries = 0,
                  qint64 timeoutMs = TaskSpec::DefaultTimeoutMs) const;
};

} // namespace workdeck::test
