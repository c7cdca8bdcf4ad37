#include "TestKinds.h"

#include "TaskContext.h"

#include <stdexcept>

namespace workdeck::test {

namespace {
Result<ParamsPtr> parseTag(const QJsonObject& params)
{
    return ParamsPtr(std::make_shared<TagParams>(params.value(QStringLiteral("tag")).toInteger()));
}
qint64 tagOf(const KindParams& params)
{
    return static_cast<const TagParams&>(params).tag;
}
} // namespace

Result<ParamsPtr> NoopKind::parseParams(const QJsonObject& params, int) const
{
    return parseTag(params);
}

AttemptOutcome NoopKind::run(const KindParams&, TaskContext&) const
{
    return {};
}

Result<ParamsPtr> SpinKind::parseParams(const QJsonObject& params, int) const
{
    return parseTag(params);
}

AttemptOutcome SpinKind::run(const KindParams& params, TaskContext&) const
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(tagOf(params));
    while (std::chrono::steady_clock::now() < until) {
    }
    return {};
}

Result<ParamsPtr> RecordingKind::parseParams(const QJsonObject& params, int) const
{
    return parseTag(params);
}

AttemptOutcome RecordingKind::run(const KindParams& params, TaskContext&) const
{
    QMutexLocker lock(&m_mutex);
    m_log.append(tagOf(params));
    return {};
}

QList<qint64> RecordingKind::log() const
{
    QMutexLocker lock(&m_mutex);
    return m_log;
}

Result<ParamsPtr> ThrowingKind::parseParams(const QJsonObject& params, int) const
{
    return parseTag(params);
}

AttemptOutcome ThrowingKind::run(const KindParams& params, TaskContext&) const
{
    if (tagOf(params) == 0)
        throw std::runtime_error("boom");
    throw 42;
}

Result<ParamsPtr> StuckKind::parseParams(const QJsonObject& params, int) const
{
    return parseTag(params);
}

AttemptOutcome StuckKind::run(const KindParams&, TaskContext&) const
{
    ++m_entered;
    m_gate.acquire();
    m_gate.release();
    return AttemptOutcome::succeeded(QStringLiteral("finally"));
}

TestRegistry::TestRegistry()
    : registry(KindRegistry::withBuiltins())
{
    registry.add(std::make_unique<NoopKind>());
    registry.add(std::make_unique<SpinKind>());
    auto recordingKind = std::make_unique<RecordingKind>();
    recording = recordingKind.get();
    registry.add(std::move(recordingKind));
    registry.add(std::make_unique<ThrowingKind>());
    auto stuckKind = std::make_unique<StuckKind>();
    stuck = stuckKind.get();
    registry.add(std::move(stuckKind));
}

TaskSpec TestRegistry::spec(QStringView kindName, const QJsonObject& params, int priority, int maxRetries,
                            qint64 timeoutMs) const
{
    TaskSpec spec;
    spec.kind = kind(kindName);
    Q_ASSERT(spec.kind >= 0);
    auto parsed = registry.at(spec.kind).parseParams(params, priority);
    if (!parsed)
        qFatal("TestRegistry::spec: %s", qPrintable(parsed.error().message));
    spec.params = parsed.value();
    spec.priority = priority;
    spec.maxRetries = maxRetries;
    spec.timeoutMs = timeoutMs;
    return spec;
}

} // namespace workdeck::test
