#include "DashboardPage.h"
#include "StatsChart.h"
#include "TestKinds.h"
#include "WorkerPool.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace workdeck;

namespace {

WorkerPool::Options options(int workers = 2)
{
    WorkerPool::Options o;
    o.workers = workers;
    // The tests take every sample themselves.
    o.sampleIntervalMs = 3'600'000;
    return o;
}

QString text(const QWidget& page, QStringView objectName)
{
    const auto* label = page.findChild<QLabel*>(objectName.toString());
    return label ? label->text() : u"(no label " % objectName % u')';
}

StatsChart* chart(const QWidget& page, QStringView objectName)
{
    return page.findChild<StatsChart*>(objectName.toString());
}

} // namespace

class TestDashboardPage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Thousands separators are part of what is asserted.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void hasItsParts()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        DashboardPage page(pool);
        for (const QStringView name :
             {u"chart-throughput", u"chart-failures", u"chart-pending", u"chart-workers"})
            QVERIFY2(chart(page, name), qPrintable(name.toString()));
        for (const QStringView name :
             {u"counter-pending", u"counter-running", u"counter-retrying", u"counter-succeeded",
              u"counter-failed", u"counter-cancelled", u"counter-workers", u"counter-wait-p50",
              u"counter-wait-p95", u"counter-run-p50", u"counter-run-p95", u"drain-estimate"})
            QVERIFY2(page.findChild<QLabel*>(name.toString()), qPrintable(name.toString()));
        QVERIFY(page.findChild<QTableView*>(QStringLiteral("pending-by-priority")));
        QCOMPARE(chart(page, u"chart-throughput")->chart()->title(), QStringLiteral("Throughput (tasks/s)"));
        QCOMPARE(chart(page, u"chart-failures")->chart()->title(), QStringLiteral("Failures (attempts/s)"));
        QCOMPARE(chart(page, u"chart-pending")->chart()->title(), QStringLiteral("Pending"));
        QCOMPARE(chart(page, u"chart-workers")->chart()->title(), QStringLiteral("Active workers"));
    }

    void chartsAndCountersFollowTheSamples()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        DashboardPage page(pool);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        for (const QStringView name :
             {u"chart-throughput", u"chart-failures", u"chart-pending", u"chart-workers"})
            QCOMPARE(chart(page, name)->pointCount(), 0);

        QSignalSpy idle(&pool, &WorkerPool::idle);
        QVERIFY(pool.submitBatch(std::vector<TaskSpec>(5, kinds.spec(u"noop"))).ok());
        QTRY_COMPARE(idle.count(), 1);
        QSignalSpy refreshed(&page, &DashboardPage::refreshed);
        for (int i = 0; i < 3; ++i)
            pool.sampleNow();
        QCOMPARE(refreshed.count(), 3);

        for (const QStringView name :
             {u"chart-throughput", u"chart-failures", u"chart-pending", u"chart-workers"})
            QCOMPARE(chart(page, name)->pointCount(), 3);
        // The first sample holds the five finished tasks; the rate is theirs over its interval.
        StatsChart* throughput = chart(page, u"chart-throughput");
        QVERIFY(throughput->series()->at(0).y() > 0);
        QCOMPARE(throughput->series()->at(2).y(), 0.0);
        QVERIFY(throughput->ceiling() > throughput->series()->at(0).y());
        QVERIFY(chart(page, u"chart-workers")->ceiling() >= 2); // the pool's size shows

        QCOMPARE(text(page, u"counter-succeeded"), QStringLiteral("5"));
        QCOMPARE(text(page, u"counter-pending"), QStringLiteral("0"));
        QCOMPARE(text(page, u"counter-failed"), QStringLiteral("0"));
        QCOMPARE(text(page, u"counter-workers"), QStringLiteral("2"));
        // Latencies are those of the last sample that had attempts ending in it.
        QVERIFY2(text(page, u"counter-run-p95").contains(QStringLiteral("µs")) ||
                     text(page, u"counter-run-p95").contains(QStringLiteral("ms")),
                 qPrintable(text(page, u"counter-run-p95")));
        QCOMPARE(text(page, u"drain-estimate"), QStringLiteral("—"));
    }

    void countsHaveThousandsSeparators()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        pool.pause();
        DashboardPage page(pool);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(pool.submitBatch(std::vector<TaskSpec>(12'345, kinds.spec(u"noop"))).ok());
        pool.sampleNow();
        QCOMPARE(text(page, u"counter-pending"), QStringLiteral("12,345"));
        QCOMPARE(chart(page, u"chart-pending")->series()->at(0).y(), 12'345.0);
        QVERIFY(chart(page, u"chart-pending")->ceiling() > 12'345);
    }

    void theSelectorSetsTheWindow()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        DashboardPage page(pool);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* window = page.findChild<QComboBox*>(QStringLiteral("window"));
        QVERIFY(window);
        QCOMPARE(window->count(), 3);
        QCOMPARE(window->itemText(0), QStringLiteral("1 min"));
        QCOMPARE(window->itemText(1), QStringLiteral("10 min"));
        QCOMPARE(window->itemText(2), QStringLiteral("1 h"));
        QCOMPARE(window->currentText(), QStringLiteral("1 min"));
        QCOMPARE(page.windowSeconds(), 60);

        QSignalSpy changed(&page, &DashboardPage::windowSecondsChanged);
        QSignalSpy refreshed(&page, &DashboardPage::refreshed);
        window->setFocus();
        QTest::keyClick(window, Qt::Key_Down);
        QCOMPARE(page.windowSeconds(), 600);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(refreshed.count(), 1);

        page.setWindowSeconds(3600);
        QCOMPARE(window->currentText(), QStringLiteral("1 h"));
        QCOMPARE(changed.count(), 2);
        page.setWindowSeconds(3600);
        QCOMPARE(changed.count(), 2);
    }

    void theWindowPicksTheNewestSamples()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        StatsHistory hour(3600);
        const qint64 start = 1'700'000'000'000;
        for (int i = 0; i < 3600; ++i) {
            StatsSample sample;
            sample.atMs = start + i * 1000LL;
            sample.pending = i;
            hour.append(sample);
        }
        DashboardPage page(pool);
        page.setHistory(&hour);
        page.resize(1200, 800);
        page.setWindowSeconds(60);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        StatsChart* pending = chart(page, u"chart-pending");
        QCOMPARE(pending->pointCount(), 60);
        QCOMPARE(pending->series()->at(0), QPointF(start + 3540 * 1000.0, 3540));
        QCOMPARE(pending->series()->at(59), QPointF(start + 3599 * 1000.0, 3599));
        QCOMPARE(text(page, u"counter-pending"), QStringLiteral("3,599"));

        page.setWindowSeconds(3600);
        QTRY_VERIFY(pending->pointCount() <= static_cast<int>(pending->chart()->plotArea().width()));
        QCOMPARE(pending->series()->at(0), QPointF(start, 0)); // 3600 samples span 3599 s
        QCOMPARE(pending->series()->at(pending->pointCount() - 1).y(), 3599.0);
    }

    void aChartKeepsAtMostAPointPerPixelAndItsSpikes()
    {
        StatsChart chart(QStringLiteral("Throughput (tasks/s)"), Qt::darkGreen);
        chart.resize(500, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const qint64 start = 1'700'000'000'000;
        QList<QPointF> hour;
        for (int i = 0; i < 3600; ++i)
            hour.append({static_cast<double>(start + i * 1000LL), i == 1234 ? 5000.0 : i % 7});
        chart.setPoints(hour, start, start + 3'600'000);

        const int width = static_cast<int>(chart.chart()->plotArea().width());
        QVERIFY(width > 100);
        QVERIFY2(chart.pointCount() <= width, qPrintable(QString::number(chart.pointCount())));
        QVERIFY(chart.pointCount() >= width / 2); // the low and high of every two pixels
        const QList<QPointF> shown = chart.series()->points();
        QVERIFY(std::any_of(shown.cbegin(), shown.cend(), [](const QPointF& p) { return p.y() == 5000.0; }));
        QVERIFY(chart.ceiling() > 5000);

        // A wider plot gets more detail without waiting for new points.
        const int before = chart.pointCount();
        chart.resize(1000, 300);
        QTRY_VERIFY(chart.pointCount() > before);
        QVERIFY(chart.pointCount() <= static_cast<int>(chart.chart()->plotArea().width()));

        // Short series are shown as they are.
        chart.setPoints(hour.mid(0, 60), start, start + 60'000);
        QCOMPARE(chart.pointCount(), 60);
    }

    void anHourOfSamplesIsDecimatedToThePlotWidth()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        // Filled before the page exists, so that it draws once, on show.
        for (int i = 0; i < 3600; ++i)
            pool.sampleNow();
        QCOMPARE(pool.history().size(), 3600);

        DashboardPage page(pool);
        page.resize(1000, 700);
        page.setWindowSeconds(3600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        for (const QStringView name :
             {u"chart-throughput", u"chart-failures", u"chart-pending", u"chart-workers"}) {
            StatsChart* c = chart(page, name);
            // At most a point per pixel of the plot: the low and high of every two pixels.
            const auto width = [c] { return static_cast<int>(c->chart()->plotArea().width()); };
            QTRY_VERIFY2(width() > 100, qPrintable(QString::number(width())));
            QTRY_VERIFY2(c->pointCount() <= width(), qPrintable(name.toString()));
            QVERIFY(c->pointCount() > 0);
        }
        // Every sample took a few microseconds, so most share their millisecond with others;
        // what is left is well under the 3600 samples.
        QVERIFY(chart(page, u"chart-pending")->pointCount() < 3600);
    }

    void listsPendingTasksByPriorityHighestFirst()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        pool.pause();
        DashboardPage page(pool);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* table = page.findChild<QTableView*>(QStringLiteral("pending-by-priority"));
        QVERIFY(table);
        QAbstractItemModel* levels = table->model();
        QAbstractItemModelTester tester(levels);
        QCOMPARE(levels->rowCount(), 0);
        QVERIFY(!table->isVisibleTo(&page));

        std::vector<TaskSpec> specs(3, kinds.spec(u"noop", {}, 0));
        specs.push_back(kinds.spec(u"noop", {}, 7));
        specs.insert(specs.end(), 1500, kinds.spec(u"noop", {}, 200));
        QVERIFY(pool.submitBatch(std::move(specs)).ok());
        pool.sampleNow();

        QCOMPARE(levels->rowCount(), 3);
        QVERIFY(table->isVisibleTo(&page));
        const QList<QPair<QString, QString>> expected{
            {QStringLiteral("200"), QStringLiteral("1,500")},
            {QStringLiteral("7"), QStringLiteral("1")},
            {QStringLiteral("0"), QStringLiteral("3")},
        };
        for (int row = 0; row < 3; ++row) {
            QCOMPARE(levels->index(row, 0).data().toString(), expected.at(row).first);
            QCOMPARE(levels->index(row, 1).data().toString(), expected.at(row).second);
        }
        QVERIFY(pool.submit(kinds.spec(u"noop", {}, 7)).ok());
        pool.sampleNow();
        QCOMPARE(levels->rowCount(), 3);
        QCOMPARE(levels->index(1, 1).data().toString(), QStringLiteral("2"));

        pool.resume();
        QSignalSpy idle(&pool, &WorkerPool::idle);
        QTRY_COMPARE(idle.count(), 1);
        pool.sampleNow();
        QCOMPARE(levels->rowCount(), 0);
        QVERIFY(!table->isVisibleTo(&page));
    }

    void estimatesTheTimeToDrain()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options(1));
        DashboardPage page(pool);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        pool.sampleNow();
        QCOMPARE(text(page, u"drain-estimate"), QStringLiteral("—"));

        // Some work finishes, so there is a recent rate.
        QSignalSpy idle(&pool, &WorkerPool::idle);
        QVERIFY(pool.submitBatch(std::vector<TaskSpec>(20, kinds.spec(u"noop"))).ok());
        QTRY_COMPARE(idle.count(), 1);
        pool.sampleNow();

        // The only worker is held while more work waits: the queue drains at the recent rate.
        QVERIFY(pool.submit(kinds.spec(u"stuck", {}, 255)).ok());
        QTRY_COMPARE(kinds.stuck->entered(), 1);
        QVERIFY(pool.submitBatch(std::vector<TaskSpec>(10, kinds.spec(u"noop"))).ok());
        pool.sampleNow();
        QCOMPARE(text(page, u"counter-pending"), QStringLiteral("10"));
        const QString estimate = text(page, u"drain-estimate");
        QVERIFY2(estimate.endsWith(QStringLiteral(" s")) || estimate.endsWith(QStringLiteral(" min")) ||
                     estimate.endsWith(QStringLiteral(" h")),
                 qPrintable(estimate));

        pool.pause();
        pool.sampleNow();
        QCOMPARE(text(page, u"drain-estimate"), QStringLiteral("not draining"));

        kinds.stuck->open();
        pool.resume();
        QTRY_COMPARE(idle.count(), 2);
        pool.sampleNow();
        QCOMPARE(text(page, u"drain-estimate"), QStringLiteral("—"));
    }

    void aPendingQueueWithNoRecentProgressIsNotDraining()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        pool.pause();
        DashboardPage page(pool);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(pool.submitBatch(std::vector<TaskSpec>(4, kinds.spec(u"noop"))).ok());
        pool.sampleNow();
        QCOMPARE(text(page, u"drain-estimate"), QStringLiteral("not draining"));
    }

    void aHiddenPageCatchesUpWhenShown()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        DashboardPage page(pool);
        QSignalSpy refreshed(&page, &DashboardPage::refreshed);
        pool.sampleNow();
        pool.sampleNow();
        QCOMPARE(refreshed.count(), 0);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(refreshed.count() >= 1);
        QCOMPARE(chart(page, u"chart-pending")->pointCount(), 2);
        QVERIFY(refreshed.last().at(0).toLongLong() > 0);
    }

    void chartsFollowThePalette()
    {
        test::TestRegistry kinds;
        WorkerPool pool(kinds.registry, options());
        DashboardPage page(pool);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x22, 0x25));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Base, QColor(0x17, 0x19, 0x1c));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        page.setPalette(dark);
        for (const QStringView name :
             {u"chart-throughput", u"chart-failures", u"chart-pending", u"chart-workers"}) {
            QChart* c = chart(page, name)->chart();
            QCOMPARE(c->backgroundBrush().color(), QColor(0x17, 0x19, 0x1c));
            QCOMPARE(c->titleBrush().color(), QColor(0xe8, 0xe8, 0xe8));
            // Labels are readable: much lighter than the background.
            QVERIFY(c->axes().first()->labelsBrush().color().lightnessF() > 0.5);
        }
        const QColor light = QApplication::palette().color(QPalette::Base);
        page.setPalette(QApplication::palette());
        QCOMPARE(chart(page, u"chart-pending")->chart()->backgroundBrush().color(), light);
    }
};

QTEST_MAIN(TestDashboardPage)
#include "tst_dashboardpage.moc"
