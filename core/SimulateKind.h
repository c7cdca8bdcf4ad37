#pragma once

#include "TaskKind.h"

namespace workdeck {

/// Parameters of a simulated task.
struct SimulateParams final : KindParams {
    qint64 durationMs = 0;
    int failAttempts = 0;
    QJsonObject toJson() const override;
};

/// The reference workload: waits `duration_ms`, failing its first `fail_attempts` attempts.
class SimulateKind final : public TaskKind {
public:
    static constexpr qint64 MaxDurationMs = 86'400'000;

    QString name() const override { return QStringLiteral("simulate"); }
    QStringList parameterNames() const override;
    QJsonValue::Type parameterType(const QString& name) const override;
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;
};

} // namespace workdeck
