#include "SeriesDecimator.h"

#include <QTest>

#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <vector>

using namespace workdeck;

namespace {

QList<QPointF> series(const QList<double>& ys)
{
    QList<QPointF> points;
    for (qsizetype i = 0; i < ys.size(); ++i)
        points.append({static_cast<double>(i), ys.at(i)});
    return points;
}

/// Exact equality: QPointF's operator== is fuzzy, and decimation must copy points bit for bit.
bool same(const QPointF& a, const QPointF& b)
{
    return a.x() == b.x() && a.y() == b.y();
}

bool isSubsequence(const QList<QPointF>& part, const QList<QPointF>& whole)
{
    qsizetype at = 0;
    for (const QPointF& p : part) {
        while (at < whole.size() && !same(whole.at(at), p))
            ++at;
        if (at == whole.size())
            return false;
        ++at;
    }
    return true;
}

} // namespace

class TestSeriesDecimator : public QObject {
    Q_OBJECT

private slots:
    void decimates_data()
    {
        QTest::addColumn<QList<QPointF>>("input");
        QTest::addColumn<int>("buckets");
        QTest::addColumn<QList<QPointF>>("expected");

        const QList<QPointF> zigzag = series({5, 1, 9, 3, 7, 2, 8, 0, 6, 4});
        QTest::newRow("empty") << QList<QPointF>() << 100 << QList<QPointF>();
        QTest::newRow("fits already") << zigzag << 5 << zigzag;
        // One inner bucket: the ends plus the lowest and highest point between them, in x order.
        QTest::newRow("two buckets") << zigzag << 2 << QList<QPointF>{{0, 5}, {2, 9}, {7, 0}, {9, 4}};
        // Inner buckets x 1..4 and 5..8.
        QTest::newRow("three buckets")
            << zigzag << 3 << QList<QPointF>{{0, 5}, {1, 1}, {2, 9}, {6, 8}, {7, 0}, {9, 4}};
        QTest::newRow("fewer than two buckets count as two")
            << zigzag << 0 << QList<QPointF>{{0, 5}, {2, 9}, {7, 0}, {9, 4}};
        QTest::newRow("flat bucket keeps one point")
            << series({1, 1, 1, 1, 1, 1, 1, 1, 1, 1}) << 2 << QList<QPointF>{{0, 1}, {1, 1}, {9, 1}};
        QList<QPointF> sameX;
        for (const double y : {3.0, 4.0, 1.0, 8.0, 2.0, 5.0})
            sameX.append({7, y});
        QTest::newRow("all at one x") << sameX << 2 << QList<QPointF>{{7, 3}, {7, 1}, {7, 8}, {7, 5}};
    }

    void decimates()
    {
        QFETCH(QList<QPointF>, input);
        QFETCH(int, buckets);
        QFETCH(QList<QPointF>, expected);

        const QList<QPointF> output = SeriesDecimator::decimate(input, buckets);
        QCOMPARE(output.size(), expected.size());
        for (qsizetype i = 0; i < output.size(); ++i)
            QVERIFY2(same(output.at(i), expected.at(i)), qPrintable(QStringLiteral("point %1").arg(i)));
    }

    void aSpikeInAnHourOfSamplesSurvives()
    {
        QList<double> ys(3600, 10.0);
        ys[1234] = 5000;
        ys[2345] = 0;
        const QList<QPointF> output = SeriesDecimator::decimate(series(ys), 300);
        QVERIFY(output.size() <= 600);
        const auto has = [&output](double x, double y) {
            return std::any_of(output.cbegin(), output.cend(), [&](const QPointF& p) {
                return same(p, {x, y});
            });
        };
        QVERIFY(has(1234, 5000));
        QVERIFY(has(2345, 0));
    }

    void keepsItsPromisesForAnyInput()
    {
        const bool ok = rc::check(
            "decimated points are an x-ordered subset of at most 2 x buckets that keeps the ends and "
            "extremes",
            [](const std::vector<std::pair<std::uint8_t, std::int16_t>>& steps) {
                const int buckets = *rc::gen::inRange(2, 24);
                QList<QPointF> input;
                double x = -50;
                for (const auto& [dx, y] : steps) {
                    x += dx % 4 == 0 ? 0 : dx; // repeated x values happen when samples share a ms
                    input.append({x, static_cast<double>(y)});
                }
                const QList<QPointF> output = SeriesDecimator::decimate(input, buckets);

                if (input.size() <= 2 * buckets) {
                    RC_ASSERT(output.size() == input.size());
                    RC_ASSERT(isSubsequence(output, input));
                    return;
                }
                RC_ASSERT(output.size() <= 2 * buckets);
                RC_ASSERT(isSubsequence(output, input)); // in particular x-ordered
                RC_ASSERT(std::is_sorted(output.cbegin(), output.cend(),
                                         [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
                RC_ASSERT(same(output.first(), input.first()));
                RC_ASSERT(same(output.last(), input.last()));
                const auto byY = [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); };
                RC_ASSERT(std::min_element(output.cbegin(), output.cend(), byY)->y() ==
                          std::min_element(input.cbegin(), input.cend(), byY)->y());
                RC_ASSERT(std::max_element(output.cbegin(), output.cend(), byY)->y() ==
                          std::max_element(input.cbegin(), input.cend(), byY)->y());
            });
        QVERIFY(ok);
    }
};

QTEST_GUILESS_MAIN(TestSeriesDecimator)
#include "tst_seriesdecimator.moc"
