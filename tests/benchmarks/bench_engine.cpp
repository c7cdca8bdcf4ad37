// The worker pool against plain QThreadPool, in one run. Build with the `bench` preset and run
// build/bench/tests/benchmarks/bench_engine.
#include "BenchScratch.h"
#include "TaskContext.h"
#include "TestKinds.h"
#include "WorkerPool.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QThreadPool>

#include <time.h>

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
    o.deliveryBudgetMs = 0; // no window to keep responsive: hand out every change at once
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

/// Runs the event loop until the pool says it is idle, as the application does: the pool's own
/// timer hands out its state changes, and the last worker to run out of work wakes it.
void waitUntilIdle(WorkerPool& pool)
{
    QEventLoop loop;
    QObject::connect(&pool, &WorkerPool::idle, &loop, &QEventLoop::quit);
    if (!pool.isIdle())
        loop.exec();
    pool.flushEvents();
}

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Each dispatch benchmark keeps one pool for all its rounds, as the application keeps one for
// a session, and runs one round untimed first, reported as `cold_ms`: the timed rounds then
// measure a pool and a process that have seen a batch this size before, as the application's
// have after its first import, and the pool queues into the slots the last round's tasks
// freed. On this virtual machine the first touch of a fresh page costs about 12 µs (3 ns a
// byte), which would otherwise weigh on whichever side holds more memory at once, in the
// first round only.

/// Starts every task on `pool` and waits for them; returns the milliseconds it took.
double startEach(QThreadPool& pool)
{
    const auto start = std::chrono::steady_clock::now();
    std::atomic<int> done{0};
    for (int i = 0; i < Tasks; ++i)
        pool.start([&done] { done.fetch_add(1, std::memory_order_relaxed); });
    pool.waitForDone();
    benchmark::DoNotOptimize(done.load());
    return msSince(start);
}

// Baseline: one QThreadPool::start per task.
void BM_QThreadPoolStart(benchmark::State& state)
{
    QThreadPool pool;
    pool.setMaxThreadCount(Workers);
    state.counters["cold_ms"] = startEach(pool);
    for (auto _ : state)
        startEach(pool);
    state.SetItemsProcessed(state.iterations() * Tasks);
}
BENCHMARK(BM_QThreadPoolStart)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

/// Submits `batch` to `pool` and waits until it is idle; returns the milliseconds the submit
/// took (-1 unless every task of the batch succeeded) and adds the whole time to `totalMs`.
double dispatch(WorkerPool& pool, const std::vector<TaskSpec>& batch, double* totalMs = nullptr)
{
    const qint64 before = pool.counters().succeeded;
    const auto start = std::chrono::steady_clock::now();
    const bool submitted = pool.submitBatch(batch).ok();
    const double submitMs = msSince(start);
    if (submitted)
        waitUntilIdle(pool);
    if (totalMs)
        *totalMs += msSince(start);
    return submitted && pool.counters().succeeded - before == Tasks ? submitMs : -1;
}

// The pool: random priorities, events and statistics on, a no-op kind. The specs are the
// caller's input, made and let go of outside the timing; what the pool makes of them, its
// records, is timed, as the runnables QThreadPool makes of its lambdas are.
void BM_WorkerPoolDispatch(benchmark::State& state)
{
    WorkerPool pool(kinds().registry, options());
    double coldMs = 0;
    dispatch(pool, specs(u"noop", Tasks), &coldMs);
    state.counters["cold_ms"] = coldMs;
    double submitMs = 0;
    std::vector<TaskSpec> batch;
    for (auto _ : state) {
        state.PauseTiming();
        batch = specs(u"noop", Tasks);
        state.ResumeTiming();
        const double ms = dispatch(pool, batch);
        if (ms < 0)
            state.SkipWithError("not every task succeeded");
        submitMs += ms;
    }
    state.SetItemsProcessed(state.iterations() * Tasks);
    state.counters["submit_ms"] = submitMs / double(state.iterations()); // the rest is running them
}
BENCHMARK(BM_WorkerPoolDispatch)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The same million tasks queued while the pool is paused, timed from resume(): what running
// them costs the workers (and the owner thread, which hands out their events), with no
// submission beside them. No baseline: QThreadPool has no pause.
void BM_WorkerPoolRunQueued(benchmark::State& state)
{
    WorkerPool pool(kinds().registry, options());
    std::vector<TaskSpec> batch;
    for (auto _ : state) {
        state.PauseTiming();
        batch = specs(u"noop", Tasks);
        pool.pause();
        const bool submitted = pool.submitBatch(batch).ok();
        const qint64 before = pool.counters().succeeded;
        state.ResumeTiming();
        pool.resume();
        if (submitted)
            waitUntilIdle(pool);
        if (!submitted || pool.counters().succeeded - before != Tasks)
            state.SkipWithError("not every task succeeded");
    }
    state.SetItemsProcessed(state.iterations() * Tasks);
}
BENCHMARK(BM_WorkerPoolRunQueued)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(4);

// Queueing a million pending tasks (paused, so nothing runs).
void BM_QueueMillionPending(benchmark::State& state)
{
    for (auto _ : state) {
        state.PauseTiming();
        auto batch = specs(u"simulate", Tasks, -1);
        auto pool = std::make_unique<WorkerPool>(kinds().registry, options());
        pool->pause();
        state.ResumeTiming();
        if (!pool->submitBatch(batch).ok())
            state.SkipWithError("submit failed");
        state.PauseTiming();
        pool.reset();
        batch = {};
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * Tasks);
}
BENCHMARK(BM_QueueMillionPending)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

/// About one second of work per worker in tasks of `micros` each.
int efficiencyTasks(qint64 micros)
{
    return static_cast<int>(1'000'000 / micros) * Workers;
}

/// The share of the workers' time since `start` that `count` tasks of `micros` filled.
double efficiencySince(std::chrono::steady_clock::time_point start, int count, qint64 micros)
{
    const double wall = msSince(start) * 1000;
    return static_cast<double>(count) * static_cast<double>(micros) / Workers / wall;
}

void efficiencyRuns(benchmark::internal::Benchmark* runs)
{
    runs->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
}

// Baseline: the same tasks run by two plain threads, each calling the kind straight away, half
// of them each. The host of this virtual machine takes 2-3% of each core in gaps of up to a
// millisecond or more (BM_TimeTakenFromThreads), which no pool can win back: this is the most
// any pool can reach here.
void BM_EfficiencyPlainThreads(benchmark::State& state)
{
    const qint64 micros = state.range(0);
    const int count = efficiencyTasks(micros);
    const TaskSpec spec = specs(u"spin", 1, micros).front();
    const TaskKind& kind = kinds().registry.at(spec.kind);
    double efficiency = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> threads;
        for (int w = 0; w < Workers; ++w) {
            threads.emplace_back([&kind, &spec, count, w] {
                TaskContext context(w + 1);
                for (int i = 0; i < count / Workers; ++i) {
                    context.begin(static_cast<std::uint32_t>(i + 1), 1,
                                  TaskContext::Clock::now() + std::chrono::seconds(60));
                    benchmark::DoNotOptimize(kind.run(*spec.params, context));
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        efficiency += efficiencySince(start, count, micros);
    }
    state.counters["efficiency"] = efficiency / static_cast<double>(state.iterations());
    state.counters["rounds_per_us"] = test::SpinKind::roundsPerMicrosecond();
}
BENCHMARK(BM_EfficiencyPlainThreads)->Apply(efficiencyRuns);

// What the machine leaves the workers: two threads read the clock for a second, and any gap of
// more than half a microsecond between two readings is time the thread did not have (the
// host's or the kernel's). `taken` is that share of each core; no pool can reach an efficiency
// above 1 - taken.
void BM_TimeTakenFromThreads(benchmark::State& state)
{
    using Clock = std::chrono::steady_clock;
    double taken = 0;
    for (auto _ : state) {
        std::vector<double> gaps(Workers, 0.0);
        std::vector<std::thread> threads;
        for (std::size_t w = 0; w < gaps.size(); ++w) {
            threads.emplace_back([&gaps, w] {
                const auto start = Clock::now();
                auto previous = start;
                for (auto now = start; now - start < std::chrono::seconds(1); now = Clock::now()) {
                    if (now - previous > std::chrono::nanoseconds(500))
                        gaps[w] += std::chrono::duration<double>(now - previous).count();
                    previous = now;
                }
            });
        }
        for (auto& thread : threads)
            thread.join();
        for (const double gap : gaps)
            taken += gap / Workers;
    }
    state.counters["taken"] = taken / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TimeTakenFromThreads)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

/// CPU time of the calling thread, in milliseconds.
double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

struct PoolRun {
    double efficiency = -1; ///< the tasks' share of the workers' time; -1 when a task failed
    double ownerCpu = 0;    ///< the owner thread's share of one core while they ran
};

/// Runs `count` tasks of `micros` each on a fresh pool. `queueFirst` queues them all while the
/// pool is paused and starts the clock when it resumes; otherwise the clock starts before the
/// submit, and the submitting thread takes a core from the workers while it queues.
PoolRun poolEfficiency(int count, qint64 micros, bool queueFirst)
{
    auto batch = specs(u"spin", count, micros);
    WorkerPool pool(kinds().registry, options());
    if (queueFirst) {
        pool.pause();
        if (!pool.submitBatch(std::move(batch)).ok())
            return {};
    }
    const double cpuBefore = threadCpuMs();
    const auto start = std::chrono::steady_clock::now();
    if (queueFirst)
        pool.resume();
    else if (!pool.submitBatch(std::move(batch)).ok())
        return {};
    waitUntilIdle(pool);
    if (pool.counters().succeeded != count)
        return {};
    return {efficiencySince(start, count, micros), (threadCpuMs() - cpuBefore) / msSince(start)};
}

void efficiencyOf(benchmark::State& state, bool queueFirst)
{
    const qint64 micros = state.range(0);
    const int count = efficiencyTasks(micros);
    PoolRun sum;
    sum.efficiency = 0;
    for (auto _ : state) {
        const PoolRun run = poolEfficiency(count, micros, queueFirst);
        if (run.efficiency < 0)
            state.SkipWithError("not every task succeeded");
        sum.efficiency += run.efficiency;
        sum.ownerCpu += run.ownerCpu;
    }
    const auto rounds = static_cast<double>(state.iterations());
    state.counters["efficiency"] = sum.efficiency / rounds;
    state.counters["owner_cpu"] = sum.ownerCpu / rounds;
}

// Share of two workers' time spent in tasks of a known length, the tasks queued beforehand:
// what the pool's own work costs the workers. `owner_cpu` is the share of a core the thread
// that owns the pool spent meanwhile, turning finished tasks into events: on two cores it is
// taken from the workers.
void BM_Efficiency(benchmark::State& state)
{
    efficiencyOf(state, true);
}
BENCHMARK(BM_Efficiency)->Apply(efficiencyRuns);

// The same, timed from the submit of the batch: on two cores the submitting thread queues on
// one of the workers' cores, so this is the share an importer running beside them leaves.
void BM_EfficiencyWhileQueueing(benchmark::State& state)
{
    efficiencyOf(state, false);
}
BENCHMARK(BM_EfficiencyWhileQueueing)->Apply(efficiencyRuns);

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
    test::SpinKind::calibrate(Workers);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
