// The dashboard's refresh cost, against the same charts without decimation, and how it holds up
// while the pool runs flat out, in one run. Build with the `bench` preset and run
// build/bench/tests/benchmarks/bench_dashboard.
#include "AppSettings.h"
#include "BenchScratch.h"
#include "DashboardPage.h"
#include "KindRegistry.h"
#include "MainWindow.h"
#include "StatsChart.h"
#include "WorkerPool.h"
#include "Workspace.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGridLayout>
#include <QJsonObject>
#include <QLineSeries>
#include <QStandardPaths>
#include <QTimer>
#include <QValueAxis>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace workdeck;

namespace {

constexpr int HistorySamples = 3600;
const QSize WindowSize(1280, 800);

/// An hour of one-second samples shaped like a busy pool: a noisy rate, bursts of failures,
/// a queue that fills and drains.
class RecordedHour {
public:
    RecordedHour()
        : m_history(HistorySamples)
    {
        for (int i = 0; i < HistorySamples; ++i)
            append();
    }

    const StatsHistory& history() const { return m_history; }

    /// The next second: what the pool's sampling timer adds before each refresh.
    void append()
    {
        StatsSample s;
        s.atMs = m_nowMs;
        m_nowMs += 1000;
        const double t = static_cast<double>(m_count++);
        s.finishedPerSec = 40'000 + 15'000 * std::sin(t / 300) + m_noise(m_random) * 4000;
        s.failedPerSec = m_count % 97 == 0 ? 900 : std::max(0.0, m_noise(m_random) * 20);
        s.pending = static_cast<qint64>(500'000 * (1 + std::sin(t / 900)));
        s.workers = 8;
        s.activeWorkers = s.pending > 0 ? 8 : static_cast<int>(t) % 9;
        s.running = s.activeWorkers;
        s.succeeded = m_count * 40'000;
        s.waitP50Us = 1200;
        s.waitP95Us = 8000;
        s.runP50Us = 40;
        s.runP95Us = 300;
        m_history.append(s);
    }

private:
    StatsHistory m_history;
    qint64 m_nowMs = QDateTime::currentMSecsSinceEpoch() - HistorySamples * 1000LL;
    qint64 m_count = 0;
    std::mt19937 m_random{42};
    std::normal_distribution<double> m_noise{0, 1};
};

/// One page over a recorded hour, shown as a person would have it.
struct ShownPage {
    explicit ShownPage(int windowSeconds)
        : pool(KindRegistry::builtin(), idleOptions())
        , page(pool)
    {
        page.setHistory(&hour.history());
        page.setWindowSeconds(windowSeconds);
        page.resize(WindowSize);
        page.show();
        QCoreApplication::processEvents(); // layout, first paint, re-decimation to the real width
    }

    static WorkerPool::Options idleOptions()
    {
        WorkerPool::Options o;
        o.sampleIntervalMs = 3'600'000; // the benchmark drives the ticks
        return o;
    }

    RecordedHour hour;
    WorkerPool pool;
    DashboardPage page;
};

/// The baseline: the dashboard's four charts as plain Qt Charts, every point in the window
/// given to replace().
class UndecimatedCharts : public QWidget {
public:
    explicit UndecimatedCharts(QSize chartSize)
    {
        auto* grid = new QGridLayout(this);
        for (int i = 0; i < 4; ++i) {
            auto* chart = new QChart;
            chart->legend()->hide();
            auto* series = new QLineSeries;
            auto* x = new QDateTimeAxis;
            x->setTickCount(5);
            x->setFormat(QStringLiteral("HH:mm:ss"));
            auto* y = new QValueAxis;
            chart->addSeries(series);
            chart->addAxis(x, Qt::AlignBottom);
            chart->addAxis(y, Qt::AlignLeft);
            series->attachAxis(x);
            series->attachAxis(y);
            auto* view = new QChartView(chart, this);
            view->setRenderHint(QPainter::Antialiasing);
            view->setFixedSize(chartSize);
            grid->addWidget(view, i / 2, i % 2);
            m_charts.append({series, x, y});
        }
    }

    void refresh(const StatsHistory& history, int windowSeconds)
    {
        const qint64 toMs = history.latest().atMs;
        const qint64 fromMs = toMs - windowSeconds * 1000LL;
        std::array<QList<QPointF>, 4> points;
        for (int i = 0; i < history.size(); ++i) {
            const StatsSample& s = history.at(i);
            if (s.atMs <= fromMs)
                continue;
            const auto x = static_cast<double>(s.atMs);
            points[0].append({x, s.finishedPerSec});
            points[1].append({x, s.failedPerSec});
            points[2].append({x, static_cast<double>(s.pending)});
            points[3].append({x, static_cast<double>(s.activeWorkers)});
        }
        for (std::size_t i = 0; i < points.size(); ++i) {
            const Chart& c = m_charts.at(static_cast<qsizetype>(i));
            double top = 1;
            for (const QPointF& p : std::as_const(points[i]))
                top = std::max(top, p.y());
            c.x->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
            c.y->setRange(0, top * 1.1);
            c.series->replace(points[i]);
        }
    }

private:
    struct Chart {
        QLineSeries* series;
        QDateTimeAxis* x;
        QValueAxis* y;
    };
    QList<Chart> m_charts;
};

double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// One tick of the dashboard: a new sample, then refresh() with a full hour of history. The
// iteration time is refresh() alone; `frame_ms` adds the layout and painting that follow it.
void BM_DashboardRefresh(benchmark::State& state)
{
    const int windowSeconds = static_cast<int>(state.range(0));
    ShownPage shown(windowSeconds);
    qint64 lastNs = 0;
    QObject::connect(&shown.page, &DashboardPage::refreshed, &shown.page,
                     [&lastNs](qint64 ns) { lastNs = ns; });
    QElapsedTimer frame;
    double frameNs = 0;
    for (auto _ : state) {
        shown.hour.append();
        frame.start();
        shown.page.refresh();
        QCoreApplication::processEvents();
        frameNs += static_cast<double>(frame.nsecsElapsed());
        state.SetIterationTime(static_cast<double>(lastNs) / 1e9);
    }
    const auto* chart = shown.page.findChild<StatsChart*>(QStringLiteral("chart-throughput"));
    state.counters["points"] = chart->pointCount();
    state.counters["frame_ms"] = frameNs / static_cast<double>(state.iterations()) / 1e6;
}
BENCHMARK(BM_DashboardRefresh)
    ->ArgName("window_s")
    ->Arg(60)
    ->Arg(600)
    ->Arg(3600)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The same four charts at the dashboard's size, fed every point in the window.
void BM_UndecimatedRefresh(benchmark::State& state)
{
    const int windowSeconds = static_cast<int>(state.range(0));
    ShownPage shown(windowSeconds); // for the charts' size on the page
    const QSize chartSize = shown.page.findChild<StatsChart*>(QStringLiteral("chart-throughput"))->size();
    UndecimatedCharts charts(chartSize);
    charts.show();
    charts.refresh(shown.hour.history(), windowSeconds);
    QCoreApplication::processEvents();
    QElapsedTimer timer;
    double frameNs = 0;
    for (auto _ : state) {
        shown.hour.append();
        timer.start();
        charts.refresh(shown.hour.history(), windowSeconds);
        const qint64 refreshNs = timer.nsecsElapsed();
        QCoreApplication::processEvents();
        frameNs += static_cast<double>(timer.nsecsElapsed());
        state.SetIterationTime(static_cast<double>(refreshNs) / 1e9);
    }
    state.counters["frame_ms"] = frameNs / static_cast<double>(state.iterations()) / 1e6;
}
BENCHMARK(BM_UndecimatedRefresh)
    ->ArgName("window_s")
    ->Arg(60)
    ->Arg(600)
    ->Arg(3600)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

/// What a load run measured on the UI thread: each dashboard refresh, and how late a 10 ms
/// timer fired (the stall a person would feel).
class UiMeter {
public:
    /// Records every refresh of `page` and the lateness of a 10 ms timer owned by `context`.
    void watch(DashboardPage* page, QObject* context)
    {
        QObject::connect(page, &DashboardPage::refreshed, context,
                         [this](qint64 ns) { m_refreshMs.push_back(static_cast<double>(ns) / 1e6); });
        m_ticker.setTimerType(Qt::PreciseTimer);
        m_ticker.setInterval(10);
        QObject::connect(&m_ticker, &QTimer::timeout, context, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_latenessMs.push_back(std::max(0.0, static_cast<double>(now - m_previousNs) / 1e6 - 10.0));
            m_previousNs = now;
        });
    }
    void start()
    {
        m_previousNs = 0;
        m_clock.start();
        m_ticker.start();
    }
    void stop()
    {
        m_ticker.stop();
        QObject::disconnect(&m_ticker, nullptr, nullptr, nullptr);
    }
    void report(benchmark::State& state) const
    {
        state.counters["refreshes"] = static_cast<double>(m_refreshMs.size());
        state.counters["refresh_p50_ms"] = percentile(m_refreshMs, 0.50);
        state.counters["refresh_p99_ms"] = percentile(m_refreshMs, 0.99);
        state.counters["stall_p99_ms"] = percentile(m_latenessMs, 0.99);
        state.counters["stall_max_ms"] = percentile(m_latenessMs, 1.0);
    }

private:
    std::vector<double> m_refreshMs;
    std::vector<double> m_latenessMs;
    QTimer m_ticker;
    QElapsedTimer m_clock;
    qint64 m_previousNs = 0;
};

// Zero-length `simulate` tasks on the default workers, as fast as the pool runs them, while the
// dashboard shows the 1 h window over a full history. Reports what each refresh took and how
// late a 10 ms timer on the UI thread fired (the stall a person would feel). 200,000 tasks take
// well under a second, so the runs sampled every second show the stall without any refresh (the
// pool's own share); the 20 ms runs refresh fifty times as often as the app does.
void BM_DashboardUnderLoad(benchmark::State& state)
{
    const KindRegistry& kinds = KindRegistry::builtin();
    const int simulate = kinds.indexOf(u"simulate");
    auto params = kinds.at(simulate).parseParams(QJsonObject{{QStringLiteral("duration_ms"), 0}}, 0);
    if (!params) {
        state.SkipWithError("simulate parameters rejected");
        return;
    }
    const auto tasks = static_cast<int>(state.range(0));
    UiMeter meter;
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<TaskSpec> specs(static_cast<std::size_t>(tasks));
        std::mt19937 random(42);
        for (TaskSpec& spec : specs) {
            spec.kind = simulate;
            spec.params = params.value();
            spec.priority = static_cast<int>(random() % 256);
        }
        WorkerPool::Options options;
        options.sampleIntervalMs = static_cast<int>(state.range(1));
        WorkerPool pool(kinds, options);
        for (int i = 0; i < HistorySamples; ++i)
            pool.sampleNow(); // the worst case: an hour of points on every chart
        DashboardPage page(pool);
        page.setWindowSeconds(3600);
        page.resize(WindowSize);
        page.show();
        QCoreApplication::processEvents();
        meter.watch(&page, &page);
        QEventLoop loop;
        QObject::connect(&pool, &WorkerPool::idle, &loop, &QEventLoop::quit);
        state.ResumeTiming();

        if (!pool.submitBatch(std::move(specs)).ok())
            state.SkipWithError("submit failed");
        meter.start();
        loop.exec();
        meter.stop();

        state.PauseTiming();
        if (pool.counters().succeeded != tasks)
            state.SkipWithError("not every task succeeded");
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * tasks);
    meter.report(state);
}
BENCHMARK(BM_DashboardUnderLoad)
    ->ArgNames({"tasks", "sample_ms"})
    ->Args({200'000, 1000})
    ->Args({200'000, 100})
    ->Args({200'000, 20})
    ->Args({2'000'000, 1000})
    ->Args({2'000'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// The whole window — dashboard, task list, status bar — with its database, while a batch of
// 200,000 zero-length `simulate` tasks goes through File ▸ Load Task Batch, the history writer
// and the pool. Measured from the import until the last task finished.
void BM_MainWindowUnderLoad(benchmark::State& state)
{
    const auto tasks = static_cast<int>(state.range(0));
    const QString batch = bench::scratch().filePath(QStringLiteral("window-load.jsonl"));
    {
        QFile file(batch);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            state.SkipWithError("cannot write the batch");
            return;
        }
        for (int i = 0; i < tasks; ++i)
            file.write("{\"duration_ms\":0,\"priority\":" + QByteArray::number(i % 256) + "}\n");
    }
    UiMeter meter;
    for (auto _ : state) {
        state.PauseTiming();
        WorkerPool::Options options = AppSettings::defaults().applyTo({});
        options.sampleIntervalMs = static_cast<int>(state.range(1));
        auto workspace = Workspace::open(bench::freshDatabase(QStringLiteral("window.sqlite")),
                                         KindRegistry::builtin(), options);
        if (!workspace || !(*workspace)->start()) {
            state.SkipWithError("cannot open the workspace");
            return;
        }
        Workspace& ws = **workspace;
        {
            MainWindow window(ws, AppSettings::defaults());
            window.resize(WindowSize);
            window.show();
            auto* page = window.findChild<DashboardPage*>();
            page->setWindowSeconds(3600);
            QCoreApplication::processEvents();
            meter.watch(page, &window);
            QEventLoop loop;
            QObject::connect(&ws.pool(), &WorkerPool::idle, &loop, &QEventLoop::quit);
            state.ResumeTiming();
            meter.start();
            window.importBatch(batch);
            loop.exec();
            meter.stop();
            state.PauseTiming();
            if (ws.pool().counters().succeeded != tasks)
                state.SkipWithError("not every task succeeded");
        }
        if (!ws.close())
            state.SkipWithError("closing failed");
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * tasks);
    meter.report(state);
}
BENCHMARK(BM_MainWindowUnderLoad)
    ->ArgNames({"tasks", "sample_ms"})
    ->Args({200'000, 1000})
    ->Args({200'000, 100})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

} // namespace

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the window's QSettings stay out of the user's
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
