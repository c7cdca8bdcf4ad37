#include "SimulateKind.h"

#include "JsonFields.h"
#include "TaskContext.h"

namespace workdeck {

namespace {
const QString durationField = QStringLiteral("duration_ms");
const QString failField = QStringLiteral("fail_attempts");
} // namespace

QJsonObject SimulateParams::toJson() const
{
    return {{durationField, durationMs}, {failField, failAttempts}};
}

QStringList SimulateKind::parameterNames() const
{
    return {durationField, failField};
}

QJsonValue::Type SimulateKind::parameterType(const QString& name) const
{
    Q_UNUSED(name);
    return QJsonValue::Double; // both are integers
}

Result<ParamsPtr> SimulateKind::parseParams(const QJsonObject& params, int priority) const
{
    if (auto known = JsonFields::rejectUnknown(params, parameterNames()); !known)
        return known.error();
    const auto duration =
        JsonFields::integer(params, durationField, 0, MaxDurationMs, 100 + 50 * qint64(priority));
    if (!duration)
        return duration.error();
    const auto fail = JsonFields::integer(params, failField, 0, 255, 0);
    if (!fail)
        return fail.error();
    auto result = std::make_shared<SimulateParams>();
    result->durationMs = *duration;
    result->failAttempts = static_cast<int>(*fail);
    return ParamsPtr(std::move(result));
}

AttemptOutcome SimulateKind::run(const KindParams& params, TaskContext& context) const
{
    const auto& simulate = static_cast<const SimulateParams&>(params);
    if (simulate.durationMs > 0 && !context.sleepFor(std::chrono::milliseconds(simulate.durationMs)))
        return AttemptOutcome::stopped();
    if (context.attempt() <= simulate.failAttempts)
        return AttemptOutcome::failed(QStringLiteral("simulated failure"));
    return AttemptOutcome::succeeded(u"simulated by worker " + QString::number(context.workerIndex()));
}

} // namespace workdeck
