#include "LatencyHistogram.h"

#include <QTest>

using namespace workdeck;

class TestLatencyHistogram : public QObject {
    Q_OBJECT

private slots:
    void smallValuesAreExact()
    {
        for (std::uint64_t v = 0; v < 16; ++v)
            QCOMPARE(LatencyHistogram::upperBound(LatencyHistogram::bucketOf(v)), v);
    }

    void everyValueFallsWithinTwelvePercentOfItsBucketBound()
    {
        for (std::uint64_t v : std::initializer_list<std::uint64_t>{17, 100, 999, 12345, 1'000'000,
                                                                    86'400'000'000, UINT64_MAX}) {
            const int bucket = LatencyHistogram::bucketOf(v);
            QVERIFY(bucket >= 0 && bucket < LatencyHistogram::BucketCount);
            const auto bound = LatencyHistogram::upperBound(bucket);
            QVERIFY(bound >= v);
            QVERIFY(static_cast<double>(bound - v) <= 0.125 * static_cast<double>(v));
        }
    }

    void percentilesOfAKnownDistribution()
    {
        LatencyHistogram h;
        QCOMPARE(h.percentile(0.5), 0u);
        for (std::uint64_t v = 1; v <= 1000; ++v)
            h.record(v);
        QCOMPARE(h.count(), 1000u);
        const auto p50 = h.percentile(0.50);
        const auto p95 = h.percentile(0.95);
        QVERIFY2(p50 >= 500 && p50 <= 500 * 1.125, qPrintable(QString::number(p50)));
        QVERIFY2(p95 >= 950 && p95 <= 950 * 1.125, qPrintable(QString::number(p95)));
        QCOMPARE(h.percentile(1.0), LatencyHistogram::upperBound(LatencyHistogram::bucketOf(1000)));
    }

    void sinceGivesOnlyTheNewValues()
    {
        LatencyHistogram h;
        for (int i = 0; i < 100; ++i)
            h.record(10);
        const LatencyHistogram before = h;
        for (int i = 0; i < 10; ++i)
            h.record(5000);
        const LatencyHistogram delta = h.since(before);
        QCOMPARE(delta.count(), 10u);
        QVERIFY(delta.percentile(0.5) >= 5000);
    }

    void takeFromMovesTheValuesAcross()
    {
        LatencyHistogram total;
        total.record(10);
        LatencyHistogram part;
        for (int i = 0; i < 3; ++i)
            part.record(5000);
        total.takeFrom(part);
        QCOMPARE(total.count(), 4u);
        QCOMPARE(part.count(), 0u);
        QVERIFY(total.percentile(1.0) >= 5000);
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
