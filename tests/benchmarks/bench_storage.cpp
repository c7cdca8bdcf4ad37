// Storage against its baselines, in one run. Build with the `bench` preset and run
// build/bench/tests/benchmarks/bench_storage.
#include "BenchScratch.h"
#include "Database.h"
#include "HistoryWriter.h"
#include "TaskStore.h"
#include "TestKinds.h"
#include "UserStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <sys/resource.h>

using namespace workdeck;
using namespace workdeck::bench;

namespace {

constexpr int HistoryRows = 200'000;
constexpr int HeadlessTasks = 200'000;
constexpr int Users = 1'000'000;

const test::TestRegistry& kinds()
{
    static const test::TestRegistry registry;
    return registry;
}

/// CPU time of every thread of this process, in milliseconds: the writer works on threads of
/// its own, and on a shared machine this varies less than the wall clock.
double processCpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval& t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Baseline: raw Qt Sql inserts of the same number of rows in one transaction.
void BM_QtSqlInsertOneTransaction(benchmark::State& state)
{
    double cpuMs = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const QString path = freshDatabase(QStringLiteral("raw.sqlite"));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(path);
            db.open();
            QSqlQuery q(db);
            q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
            q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
            q.exec(QStringLiteral("CREATE TABLE history(task_id INTEGER, state TEXT, attempts INTEGER, "
                                  "finished_at INTEGER, output TEXT)"));
            state.ResumeTiming();
            const double cpuBefore = processCpuMs();
            q.exec(QStringLiteral("BEGIN IMMEDIATE"));
            q.prepare(QStringLiteral("INSERT INTO history VALUES(?, ?, ?, ?, ?)"));
            for (int i = 0; i < HistoryRows; ++i) {
                q.addBindValue(i + 1);
                q.addBindValue(QStringLiteral("succeeded"));
                q.addBindValue(1);
                q.addBindValue(1'700'000'000'000LL + i);
                q.addBindValue(QStringLiteral("simulated by worker 1"));
                if (!q.exec())
                    state.SkipWithError("insert failed");
            }
            q.exec(QStringLiteral("COMMIT"));
            cpuMs += processCpuMs() - cpuBefore;
            state.PauseTiming();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * HistoryRows);
    state.counters["cpu_ms"] = cpuMs / double(state.iterations());
}
BENCHMARK(BM_QtSqlInsertOneTransaction)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The history writer: the same number of state changes posted as the pool posts them (in
// batches of 4096), written to the tasks they belong to, until committed and copied back into
// the database file. The raw inserts pay that copy (SQLite's automatic checkpoint) inside their
// COMMIT; the writer leaves it to a thread of its own, so the clock runs until the writer has
// closed, which finishes the last checkpoint, for a like-for-like comparison.
void BM_HistoryWriter(benchmark::State& state)
{
    double cpuMs = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const QString path = freshDatabase(QStringLiteral("writer.sqlite"));
        {
            auto db = Database::open(path);
            std::vector<TaskSpec> specs(HistoryRows,
                                        kinds().spec(u"simulate", {{QStringLiteral("duration_ms"), 0}}));
            if (!db || !TaskStore(**db, kinds().registry).insert(specs))
                state.SkipWithError("setup failed");
        }
        QList<TaskEvent> events;
        auto writer = HistoryWriter::start(path);
        state.ResumeTiming();
        const double cpuBefore = processCpuMs();
        for (int i = 0; i < HistoryRows; ++i) {
            TaskEvent event;
            event.id = static_cast<TaskId>(i + 1);
            event.state = TaskState::Succeeded;
            event.attempts = 1;
            event.worker = 1;
            event.startedAtMs = 1'700'000'000'000LL + i;
            event.runMs = 0;
            event.atMs = event.startedAtMs;
            event.output = QStringLiteral("simulated by worker 1");
            events.append(std::move(event));
            if (events.size() == 4096) {
                (*writer)->post(events);
                events.clear();
            }
        }
        (*writer)->post(events);
        if (!(*writer)->flush())
            state.SkipWithError("flush failed");
        writer = Error{};
        cpuMs += processCpuMs() - cpuBefore;
    }
    state.SetItemsProcessed(state.iterations() * HistoryRows);
    state.counters["cpu_ms"] = cpuMs / double(state.iterations());
}
BENCHMARK(BM_HistoryWriter)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

QString batchFile()
{
    static const QString path = [] {
        const QString file = scratch().filePath(QStringLiteral("batch.jsonl"));
        QFile out(file);
        out.open(QIODevice::WriteOnly);
        for (int i = 0; i < HeadlessTasks; ++i)
            out.write("{\"kind\":\"simulate\",\"duration_ms\":0,\"priority\":" + QByteArray::number(i % 10) +
                      "}\n");
        return file;
    }();
    return path;
}

// Baseline: ../shared/anchors/pipeline, the straightforward parse / insert / run / update.
void BM_AnchorPipeline(benchmark::State& state)
{
    const QString batch = batchFile();
    for (auto _ : state) {
        state.PauseTiming();
        const QString db = freshDatabase(QStringLiteral("anchor.sqlite"));
        state.ResumeTiming();
        state.counters["reported_ms"] =
            runChild(state, QStringLiteral(ANCHOR_BINARY), {batch, db}).value(u"elapsed_ms").toDouble();
    }
    state.SetItemsProcessed(state.iterations() * HeadlessTasks);
}
BENCHMARK(BM_AnchorPipeline)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_WorkdeckHeadless(benchmark::State& state)
{
    const QString batch = batchFile();
    for (auto _ : state) {
        state.PauseTiming();
        const QString db = freshDatabase(QStringLiteral("headless.sqlite"));
        state.ResumeTiming();
        state.counters["reported_ms"] =
            runChild(state, QStringLiteral(WORKDECK_BINARY),
                     {QStringLiteral("--headless"), QStringLiteral("--workers"), QStringLiteral("2"),
                      QStringLiteral("--db"), db, QStringLiteral("--batch"), batch})
                .value(u"elapsed_ms")
                .toDouble();
    }
    state.SetItemsProcessed(state.iterations() * HeadlessTasks);
}
BENCHMARK(BM_WorkdeckHeadless)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

Database& millionUsers()
{
    static std::unique_ptr<Database> db = [] {
        const QString path = freshDatabase(QStringLiteral("users.sqlite"));
        auto opened = Database::open(path);
        Database& d = **opened;
        const QStringList first{QStringLiteral("Ada"),    QStringLiteral("Grace"),   QStringLiteral("Alan"),
                                QStringLiteral("Edsger"), QStringLiteral("Barbara"), QStringLiteral("Ken"),
                                QStringLiteral("Dennis"), QStringLiteral("Margaret")};
        (void)d.write([&]() -> Result<void> {
            QSqlQuery q = d.query();
            q.prepare(QStringLiteral("INSERT INTO users(id, email, name, created_at) VALUES (?, ?, ?, ?)"));
            for (int i = 0; i < Users; ++i) {
                q.addBindValue(QString::number(i));
                q.addBindValue(QString(u"user" + QString::number(i) + u"@example.com"));
                q.addBindValue(QString(first[i % first.size()] + u" Person" + QString::number(i)));
                q.addBindValue(1'700'000'000'000LL + i / 3); // many share a timestamp
                if (!q.exec())
                    return d.problem(q);
            }
            return {};
        });
        return std::move(*opened);
    }();
    return *db;
}

void BM_UsersPageAtOneMillion(benchmark::State& state)
{
    UserStore users(millionUsers());
    UserQuery query;
    query.after = UserCursor{1'700'000'000'000LL + Users / 6, QStringLiteral("500000")}; // deep in the table
    for (auto _ : state) {
        const auto page = users.page(query);
        if (!page || page->users.size() != UserQuery::DefaultPageSize)
            state.SkipWithError("page failed");
        benchmark::DoNotOptimize(page->users.size());
    }
}
BENCHMARK(BM_UsersPageAtOneMillion)->Unit(benchmark::kMicrosecond);

void BM_UsersSearchAtOneMillion(benchmark::State& state)
{
    UserStore users(millionUsers());
    UserQuery query;
    query.search = QStringLiteral("person12345");
    for (auto _ : state) {
        const auto page = users.page(query);
        if (!page || page->users.isEmpty())
            state.SkipWithError("search failed");
        benchmark::DoNotOptimize(page->users.size());
    }
}
BENCHMARK(BM_UsersSearchAtOneMillion)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
