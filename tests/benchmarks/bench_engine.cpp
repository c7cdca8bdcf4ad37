// The worker pool against plain QThreadPool, in one run. Build with the `bench` preset and run
// build/bench/tests/benchmarks/bench_engine.
#include "BenchScratch.h"
#include "TestKinds.h"
#include "WorkerPool.h"

#include <QCoreApplication>
#include <QFile>
#include <QThreadPool>

#include <benchmark/benchmark.h>

#include <random>
#include <thread>

using namespace workdeck;

namespace {

constexpr int Tasks = 1'000'000;
constexpr int Workers = 2;
int priorityMask = 255;

const test::TestRegistry& kinds()
{
    static const test::TestRegistry registry;
    return registry;
}

WorkerPool::Options options()
{
    WorkerPool::Options o;
    o.workers = Workers;
    o.backoffBaseMs = 0;
    return o;
}

/// `count` specs of one kind sharing one parameter object, as a loaded batch shares them;
/// `tag` < 0 means the kind's defaults.
std::vector<TaskSpec> specs(QStringView kind, int count, qint64 tag = 0)
{
    const QJsonObject params = tag < 0 ? QJsonObject() : QJsonObject{{QStringLiteral("tag"), tag}};
    std::vector<TaskSpec> result(static_cast<std::size_t>(count), kinds().spec(kind, params));
    std::mt19937 random(42);
    for (auto& spec : result)
        spec.priority = static_cast<int>(random() % 256) & priorityMask;
    return result;
}

void waitUntilIdle(WorkerPool& pool)
{
    while (!pool.isIdle()) {
        pool.flushEvents(); // what the event loop does every 50 ms in the app
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    pool.flushEvents();
}

// Baseline: one QThreadPool::start per task.
void BM_QThreadPoolStart(benchmark::State& state)
{
    for (auto _ : state) {
        QThreadPool pool;
        pool.setMaxThreadCount(Workers);
        std::atomic<int> done{0};
        for (int i = 0; i < Tasks; ++i)
            pool.start([&done] { done.fetch_add(1, std::memory_order_relaxed); });
        pool.waitForDone();
        benchmark::DoNotOptimize(done.load());
    }
    state.SetItemsProcessed(state.iterations() * Tasks);
}
BENCHMARK(BM_QThreadPoolStart)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The pool: random priorities, events and statistics on, a no-op kind.
void BM_WorkerPoolDispatch(benchmark::State& state)
{
    for (auto _ : state) {
        state.PauseTiming();
        auto batch = specs(u"noop", Tasks);
        WorkerPool pool(kinds().registry, options());
        state.ResumeTiming();
        if (!pool.submitBatch(std::move(batch)).ok())
            state.SkipWithError("submit failed");
        waitUntilIdle(pool);
        if (pool.counters().succeeded != Tasks)
            state.SkipWithError("not every task succeeded");
    }
    state.SetItemsProcessed(state.iterations() * Tasks);
}
BENCHMARK(BM_WorkerPoolDispatch)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Queueing a million pending tasks (paused, so nothing runs).
void BM_QueueMillionPending(benchmark::State& state)
{
    for (auto _ : state) {
        state.PauseTiming();
        auto batch = specs(u"simulate", Tasks, -1);
        auto pool = std::make_unique<WorkerPool>(kinds().registry, options());
        pool->pause();
        state.ResumeTiming();
        if (!pool->submitBatch(std::move(batch)).ok())
            state.SkipWithError("submit failed");
        state.PauseTiming();
        pool.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * Tasks);
}
BENCHMARK(BM_QueueMillionPending)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

// Share of two workers' time spent in tasks of a known length.
void BM_Efficiency(benchmark::State& state)
{
    const qint64 micros = state.range(0);
    const int count = static_cast<int>(1'000'000 / micros); // about one second of work per worker
    double efficiency = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto batch = specs(u"spin", count, micros);
        WorkerPool pool(kinds().registry, options());
        state.ResumeTiming();
        const auto start = std::chrono::steady_clock::now();
        if (!pool.submitBatch(std::move(batch)).ok())
            state.SkipWithError("submit failed");
        waitUntilIdle(pool);
        const double wall =
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        efficiency = static_cast<double>(count) * static_cast<double>(micros) / Workers / wall;
    }
    state.counters["efficiency"] = efficiency;
}
BENCHMARK(BM_Efficiency)
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// Resident memory per pending `simulate` task, the parameters shared as a batch shares them.
void BM_MemoryPerPendingTask(benchmark::State& state)
{
    double perTask = 0;
    for (auto _ : state) {
        auto pool = std::make_unique<WorkerPool>(kinds().registry, options());
        pool->pause();
        // Measured from before the specs exist: submitBatch consumes them and their (mmap'ed)
        // vector goes back to the system, so the growth left is what the pool holds.
        const long before = bench::residentBytes();
        if (!pool->submitBatch(specs(u"simulate", Tasks, -1)).ok())
            state.SkipWithError("submit failed");
        perTask = static_cast<double>(bench::residentBytes() - before) / Tasks;
        pool.reset();
    }
    state.counters["bytes_per_task"] = perTask;
}
BENCHMARK(BM_MemoryPerPendingTask)->Unit(benchmark::kMillisecond)->Iterations(1);

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("WORKDECK_BENCH_ONE_PRIORITY"))
        priorityMask = 0;
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
