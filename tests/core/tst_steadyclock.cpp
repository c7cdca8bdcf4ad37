#include "SteadyClock.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

using namespace workdeck;

namespace {

qint64 steadyClockNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// What one thread saw while reading both clocks for `forNs` of steady_clock time.
struct Watch {
    qint64 worstApartNs = 0; ///< the most steady_clock fell outside a bracket of two readings
    qint64 worstBackNs = 0;  ///< the most a reading came out before the one before it
    qint64 readings = 0;
};

Watch watch(qint64 forNs)
{
    Watch seen;
    const qint64 until = steadyClockNs() + forNs;
    qint64 previous = SteadyClock::nowNs();
    for (;;) {
        const qint64 before = SteadyClock::nowNs();
        const qint64 steady = steadyClockNs();
        const qint64 after = SteadyClock::nowNs();
        seen.worstApartNs = std::max({seen.worstApartNs, before - steady, steady - after});
        seen.worstBackNs = std::max({seen.worstBackNs, previous - before, before - after});
        previous = after;
        seen.readings += 2;
        if (steady >= until)
            return seen;
    }
}

} // namespace

class TestSteadyClock : public QObject {
    Q_OBJECT

private slots:
    // Long enough for the first rate and three anchors after it, from two threads at once: the
    // readings stay with steady_clock and never step back more than the anchoring allows.
    void keepsToSteadyClockFromEveryThread()
    {
        std::vector<Watch> seen(2);
        std::vector<std::thread> threads;
        for (Watch& w : seen)
            threads.emplace_back([&w] { w = watch(350'000'000); });
        for (auto& thread : threads)
            thread.join();
        for (const Watch& w : seen) {
            QVERIFY(w.readings > 1000);
            // Well under a microsecond here; the bounds leave room for slow sanitizer builds, and
            // a rate off by as little as 0.1% would still be 100 µs apart by the next anchor.
            QVERIFY2(w.worstApartNs < 100'000, qPrintable(QString::number(w.worstApartNs)));
            QVERIFY2(w.worstBackNs < 50'000, qPrintable(QString::number(w.worstBackNs)));
        }
        // By now the counter is read wherever it can be trusted, and only there.
        QCOMPARE(SteadyClock::readsCounter(), SteadyClock::counterTrusted());
    }

    void millisecondsAreNanosecondsDivided()
    {
        const qint64 ns = SteadyClock::nowNs();
        const qint64 ms = SteadyClock::nowMs();
        QVERIFY(ms >= ns / 1'000'000);
        QVERIFY(ms - ns / 1'000'000 < 1000);
    }
};

QTEST_GUILESS_MAIN(TestSteadyClock)
#include "tst_steadyclock.moc"
