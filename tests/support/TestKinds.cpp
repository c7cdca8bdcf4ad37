#include "TestKinds.h"

#include "TaskContext.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

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
    const auto rounds =
        static_cast<std::uint64_t>(static_cast<double>(tagOf(params)) * roundsPerMicrosecond());
    if (work(rounds) == 0)
        return AttemptOutcome::failed(QStringLiteral("unlucky rounds")); // never: see work()
    return {};
}

std::atomic<double> SpinKind::s_roundsPerMicrosecond{0};

std::uint64_t SpinKind::work(std::uint64_t rounds)
{
    // A chain of multiply-adds, each waiting on the last: its speed is the core's, whatever the
    // memory does. The empty asm keeps the compiler from folding the loop. x stays odd, so it is
    // never 0.
    std::uint64_t x = 0x9E3779B97F4A7C15;
    for (std::uint64_t i = 0; i < rounds; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963406ULL;
        asm volatile("" : "+r"(x));
    }
    return x;
}

void SpinKind::calibrate(int threads)
{
    constexpr std::uint64_t rounds = 200'000;
    constexpr int timings = 15;
    std::vector<double> best(static_cast<std::size_t>(std::max(1, threads)), 0.0);
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < best.size(); ++t) {
        workers.emplace_back([&best, t] {
            for (int i = 0; i < timings; ++i) {
                const auto start = std::chrono::steady_clock::now();
                const std::uint64_t x = work(rounds);
                const double micros =
                    std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                        .count();
                if (x != 0 && micros > 0)
                    best[t] = std::max(best[t], static_cast<double>(rounds) / micros);
            }
        });
    }
    for (auto& worker : workers)
        worker.join();
    double sum = 0;
    for (const double rate : best)
        sum += rate;
    s_roundsPerMicrosecond.store(sum / static_cast<double>(best.size()));
}

double SpinKind::roundsPerMicrosecond()
{
    double rate = s_roundsPerMicrosecond.load();
    if (rate <= 0) {
        calibrate(1);
        rate = s_roundsPerMicrosecond.load();
    }
    return rate;
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
