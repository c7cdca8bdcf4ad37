// The Tasks and Users explorers over a large history: 1,000,000 tasks and 100,000 users. Build
// with the `bench` preset and run build/bench/tests/benchmarks/bench_explorer.
#include "BenchScratch.h"
#include "Database.h"
#include "KindRegistry.h"
#include "SearchIndex.h"
#include "TaskListModel.h"
#include "TasksPage.h"
#include "UserListModel.h"
#include "UsersPage.h"
#include "Workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTableView>

#include <benchmark/benchmark.h>

using namespace workdeck;

namespace {

constexpr int Tasks = 1'000'000;
constexpr int Users = 100'000;

/// The history, made once per run straight in SQL: mostly succeeded simulate tasks, some
/// checksums and commands, one in 997 failed and one in 1999 cancelled, a quarter submitted
/// by someone; then the search index is built.
const QString& database()
{
    static const QString path = [] {
        const QString file = bench::freshDatabase(QStringLiteral("explorer.sqlite"));
        auto db = Database::open(file);
        if (!db)
            qFatal("%s", qPrintable(db.error().message));
        const auto made = (*db)->write([&]() -> Result<void> {
            if (auto users = (*db)->exec(R"sql(
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
INSERT INTO users(id, email, name, created_at)
SELECT printf('%08d-0000-4000-8000-000000000000', x), 'user' || x || '@example.org', 'User Number ' || x,
       1764000000000 + x * 1000 FROM c;
)sql");
                !users)
                return users;
            return (*db)->exec(R"sql(
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)
INSERT INTO tasks(id, uuid, kind, priority, max_retries, timeout_ms, user_id, params, state, attempts,
                  created_at, started_at, finished_at, output, error)
SELECT x, printf('%08d-1111-4000-8000-000000000000', x),
       CASE WHEN x % 50 = 0 THEN 'command' WHEN x % 7 = 0 THEN 'checksum' ELSE 'simulate' END,
       x % 256, x % 3, 10000,
       CASE WHEN x % 4 = 0 THEN printf('%08d-0000-4000-8000-000000000000', 1 + x % 100000) END,
       CASE WHEN x % 50 = 0 THEN '{"program":"gzip","args":["-k","file' || x || '.log"]}'
            WHEN x % 7 = 0 THEN '{"path":"/srv/data/part-' || x || '.bin","algorithm":"sha256"}'
            ELSE '{"duration_ms":' || (x % 200) || ',"fail_attempts":0}' END,
       CASE WHEN x % 997 = 0 THEN 'failed' WHEN x % 1999 = 0 THEN 'cancelled' ELSE 'succeeded' END,
       1 + x % 3, 1764000000000 + x * 10, 1764000000000 + x * 10 + 5, 1764000000000 + x * 10 + 5 + x % 200,
       CASE WHEN x % 50 = 0 THEN 'compressed file' || x || '.log' ELSE 'simulated by worker ' || (1 + x % 4) END,
       CASE WHEN x % 997 = 0 THEN 'simulated failure' WHEN x % 1999 = 0 THEN 'cancelled by user' END
FROM c;
)sql");
        });
        if (!made)
            qFatal("%s", qPrintable(made.error().message));
        if (auto indexed = SearchIndex(**db).addNew(); !indexed || *indexed != Tasks)
            qFatal("search index not built");
        return file;
    }();
    return path;
}

/// A workspace on the history; its pool stays paused, so the figures are the views' alone.
Workspace& workspace()
{
    static std::unique_ptr<Workspace> opened = [] {
        auto ws = Workspace::open(database(), KindRegistry::builtin(), WorkerPool::Options{});
        if (!ws)
            qFatal("%s", qPrintable(ws.error().message));
        return std::move(*ws);
    }();
    return *opened;
}

double millisecondsOf(const std::function<void()>& work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

// Opening the Tasks page: the widgets and the first page of the newest tasks.
void BM_OpenTasksView(benchmark::State& state)
{
    Workspace& ws = workspace();
    for (auto _ : state) {
        std::unique_ptr<TasksPage> page;
        state.SetIterationTime(millisecondsOf([&] { page = std::make_unique<TasksPage>(ws); }) / 1000);
        benchmark::DoNotOptimize(page->model().rowCount());
    }
}
BENCHMARK(BM_OpenTasksView)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);

// The End key on a freshly opened list: the view jumps to the bottom and reads the next page.
void BM_TasksEndKey(benchmark::State& state)
{
    Workspace& ws = workspace();
    for (auto _ : state) {
        state.PauseTiming();
        TasksPage page(ws);
        page.resize(1200, 800);
        page.show();
        QCoreApplication::processEvents();
        state.ResumeTiming();
        const double ms = millisecondsOf([&] {
            page.view().scrollToBottom();
            QCoreApplication::processEvents();
        });
        state.SetIterationTime(ms / 1000);
        state.counters["rows"] = page.model().rowCount();
    }
}
BENCHMARK(BM_TasksEndKey)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

// Scrolling through everything: every page, to the millionth task, and what that costs in memory.
void BM_TasksScrollThroughAll(benchmark::State& state)
{
    Workspace& ws = workspace();
    for (auto _ : state) {
        TaskListModel model(ws.database());
        model.reload();
        const long before = bench::residentBytes();
        int pages = 0;
        double slowest = 0;
        const double ms = millisecondsOf([&] {
            while (model.canFetchMore({})) {
                slowest = std::max(slowest, millisecondsOf([&] { model.fetchMore({}); }));
                ++pages;
            }
        });
        state.SetIterationTime(ms / 1000);
        state.counters["rows"] = model.rowCount();
        state.counters["page_ms_mean"] = ms / std::max(1, pages);
        state.counters["page_ms_max"] = slowest;
        state.counters["rss_growth_mb"] = static_cast<double>(bench::residentBytes() - before) / 1e6;
        if (model.rowCount() != Tasks)
            state.SkipWithError("not every task was read");
    }
}
BENCHMARK(BM_TasksScrollThroughAll)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

// A state filter from the whole list: the first page of the tasks in that state.
void BM_TasksStateFilter(benchmark::State& state)
{
    Workspace& ws = workspace();
    const auto filterState = static_cast<TaskState>(state.range(0));
    TaskListModel model(ws.database());
    model.reload();
    for (auto _ : state) {
        TaskFilter filter;
        filter.state = filterState;
        state.SetIterationTime(millisecondsOf([&] { model.setFilter(filter); }) / 1000);
        state.counters["rows"] = model.rowCount();
        state.PauseTiming();
        model.setFilter({});
        state.ResumeTiming();
    }
    state.SetLabel(stateName(filterState).toStdString());
}
BENCHMARK(BM_TasksStateFilter)
    ->Arg(int(TaskState::Failed))
    ->Arg(int(TaskState::Cancelled))
    ->Arg(int(TaskState::Succeeded))
    ->Arg(int(TaskState::Pending))
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);

// Full-text search: a word in 1 task in 997 (an error), in every task (the output), and in one.
void BM_TasksSearch(benchmark::State& state)
{
    static const std::array<QString, 3> words{QStringLiteral("failure"), QStringLiteral("worker"),
                                              QStringLiteral("file123450")};
    Workspace& ws = workspace();
    const QString& word = words.at(static_cast<std::size_t>(state.range(0)));
    TaskListModel model(ws.database());
    for (auto _ : state) {
        TaskFilter filter;
        filter.search = word;
        state.SetIterationTime(millisecondsOf([&] { model.setFilter(filter); }) / 1000);
        state.PauseTiming();
        model.setFilter({});
        state.ResumeTiming();
    }
    TaskFilter filter;
    filter.search = word;
    model.setFilter(filter);
    state.counters["rows"] = model.rowCount();
    state.SetLabel(word.toStdString());
}
BENCHMARK(BM_TasksSearch)->DenseRange(0, 2)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);

// The Users page with its task counts, and a search among 100,000 users.
void BM_OpenUsersView(benchmark::State& state)
{
    Workspace& ws = workspace();
    for (auto _ : state) {
        std::unique_ptr<UsersPage> page;
        state.SetIterationTime(millisecondsOf([&] { page = std::make_unique<UsersPage>(ws); }) / 1000);
        benchmark::DoNotOptimize(page->model().rowCount());
    }
}
BENCHMARK(BM_OpenUsersView)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);

void BM_UsersSearch(benchmark::State& state)
{
    Workspace& ws = workspace();
    UserListModel model(ws.users());
    for (auto _ : state)
        state.SetIterationTime(millisecondsOf([&] { model.setSearch(QStringLiteral("user12345")); }) / 1000);
    state.counters["rows"] = model.rowCount();
}
BENCHMARK(BM_UsersSearch)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(10);

} // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
