// Importing a batch of 1,000,000 simulate records (parse + validate + store), in each format,
// against the straightforward pipeline's parse + insert stages, in one run. Build with the
// `bench` preset and run build/bench/tests/benchmarks/bench_batch.
//
// Each import runs in a child process (this program with --import) so that its peak memory
// is its own.
#include "BatchLoader.h"
#include "BenchScratch.h"
#include "Database.h"
#include "TaskStore.h"
#include "UserStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <cstdio>
#include <cstring>

using namespace workdeck;
using namespace workdeck::bench;

namespace {

constexpr int Records = 1'000'000;

/// The same records in each format: what a load test of simulate tasks looks like.
QString batchFile(const QString& suffix)
{
    const QString path = scratch().filePath(u"batch." + suffix);
    if (QFile::exists(path))
        return path;
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    const bool csv = suffix == u"csv";
    const bool array = suffix == u"json";
    out.write(csv ? "kind,duration_ms,priority\n" : array ? "[\n" : "");
    for (int i = 0; i < Records; ++i) {
        const QByteArray priority = QByteArray::number(i % 10);
        if (csv)
            out.write("simulate,0," + priority + '\n');
        else
            out.write("{\"kind\":\"simulate\",\"duration_ms\":0,\"priority\":" + priority + '}' +
                      (array && i + 1 < Records ? ",\n" : "\n"));
    }
    if (array)
        out.write("]\n");
    return path;
}

// Baseline: ../shared/anchors/pipeline. Only its parse and insert stages are timed; it also
// runs and records the tasks, which an import does not.
void BM_AnchorParseInsert(benchmark::State& state)
{
    const QString batch = batchFile(QStringLiteral("jsonl"));
    for (auto _ : state) {
        const QJsonObject report = runChild(state, QStringLiteral(ANCHOR_BINARY),
                                            {batch, freshDatabase(QStringLiteral("anchor.sqlite"))});
        const double ms = report.value(u"parse_ms").toDouble() + report.value(u"insert_ms").toDouble();
        state.SetIterationTime(ms / 1000.0);
        state.counters["records_per_s"] = Records / (ms / 1000.0);
        state.counters["parse_ms"] = report.value(u"parse_ms").toDouble();
        state.counters["insert_ms"] = report.value(u"insert_ms").toDouble();
    }
}
BENCHMARK(BM_AnchorParseInsert)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(2);

void BM_WorkdeckImport(benchmark::State& state, const char* suffix)
{
    const QString batch = batchFile(QString::fromLatin1(suffix));
    for (auto _ : state) {
        const QJsonObject report =
            runChild(state, QCoreApplication::applicationFilePath(),
                     {QStringLiteral("--import"), batch, freshDatabase(QStringLiteral("import.sqlite"))});
        const double ms = report.value(u"elapsed_ms").toDouble();
        state.SetIterationTime(ms / 1000.0);
        state.counters["records_per_s"] = Records / (ms / 1000.0);
        state.counters["load_ms"] = report.value(u"load_ms").toDouble();
        state.counters["store_ms"] = report.value(u"store_ms").toDouble();
        state.counters["peak_rss_MB"] = report.value(u"peak_rss_kb").toDouble() / 1024.0;
    }
}
BENCHMARK_CAPTURE(BM_WorkdeckImport, jsonl, "jsonl")
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(2);
BENCHMARK_CAPTURE(BM_WorkdeckImport, json, "json")
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(2);
BENCHMARK_CAPTURE(BM_WorkdeckImport, csv, "csv")
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(2);

/// The child: one import, as the application does it, reported as JSON on stdout.
int importOnce(const QString& batch, const QString& databasePath)
{
    QElapsedTimer timer;
    timer.start();
    auto db = Database::open(databasePath);
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error().message));
        return 1;
    }
    UserStore users(**db);
    BatchLoader loader(KindRegistry::builtin(), [&users](const QString& email) -> std::optional<QString> {
        if (auto user = users.findByEmail(email))
            return user->id;
        return std::nullopt;
    });
    auto batch_ = loader.load(batch);
    if (!batch_) {
        std::fprintf(stderr, "%s\n", qPrintable(batch_.error().message));
        return 1;
    }
    const qint64 loadMs = timer.elapsed();
    TaskStore tasks(**db, KindRegistry::builtin());
    if (auto stored = tasks.insert(batch_->specs); !stored) {
        std::fprintf(stderr, "%s\n", qPrintable(stored.error().message));
        return 1;
    }
    const qint64 elapsed = timer.elapsed();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("{\"elapsed_ms\":%lld,\"load_ms\":%lld,\"store_ms\":%lld,\"peak_rss_kb\":%ld}\n",
                static_cast<long long>(elapsed), static_cast<long long>(loadMs),
                static_cast<long long>(elapsed - loadMs), usage.ru_maxrss);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && std::strcmp(argv[1], "--import") == 0)
        return importOnce(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
