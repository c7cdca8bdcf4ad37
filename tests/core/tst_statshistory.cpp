#include "StatsHistory.h"

#include <QTest>

using namespace workdeck;

namespace {
StatsSample sampleAt(qint64 t)
{
    StatsSample s;
    s.atMs = t;
    return s;
}
} // namespace

class TestStatsHistory : public QObject {
    Q_OBJECT

private slots:
    void growsUpToItsCapacity()
    {
        StatsHistory h(3);
        QVERIFY(h.isEmpty());
        h.append(sampleAt(1));
        h.append(sampleAt(2));
        QCOMPARE(h.size(), 2);
        QCOMPARE(h.at(0).atMs, 1);
        QCOMPARE(h.latest().atMs, 2);
    }

    void dropsTheOldestWhenFull()
    {
        StatsHistory h(3);
        for (qint64 t = 1; t <= 7; ++t)
            h.append(sampleAt(t));
        QCOMPARE(h.size(), 3);
        QCOMPARE(h.at(0).atMs, 5);
        QCOMPARE(h.at(2).atMs, 7);
        const auto last2 = h.last(2);
        QCOMPARE(last2.size(), 2);
        QCOMPARE(last2[0].atMs, 6);
        QCOMPARE(last2[1].atMs, 7);
        QCOMPARE(h.last(100).size(), 3);
        QCOMPARE(h.last(-1).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStatsHistory)
#include "tst_statshistory.moc"
