#include "Backoff.h"

#include <QTest>

#include <rapidcheck.h>

using namespace workdeck;

class TestBackoff : public QObject {
    Q_OBJECT

private slots:
    void ceilingDoublesUpToTheCap_data()
    {
        QTest::addColumn<qint64>("base");
        QTest::addColumn<qint64>("cap");
        QTest::addColumn<int>("retry");
        QTest::addColumn<qint64>("ceiling");
        QTest::newRow("first retry waits up to base") << qint64(1000) << qint64(300'000) << 1 << qint64(1000);
        QTest::newRow("second doubles") << qint64(1000) << qint64(300'000) << 2 << qint64(2000);
        QTest::newRow("ninth is 256 s") << qint64(1000) << qint64(300'000) << 9 << qint64(256'000);
        QTest::newRow("tenth hits the cap") << qint64(1000) << qint64(300'000) << 10 << qint64(300'000);
        QTest::newRow("huge retry stays at the cap")
            << qint64(1000) << qint64(300'000) << 255 << qint64(300'000);
        QTest::newRow("base 0 disables") << qint64(0) << qint64(300'000) << 3 << qint64(0);
        QTest::newRow("cap 0 disables") << qint64(1000) << qint64(0) << 3 << qint64(0);
        QTest::newRow("cap below base") << qint64(1000) << qint64(10) << 1 << qint64(10);
    }

    void ceilingDoublesUpToTheCap()
    {
        QFETCH(qint64, base);
        QFETCH(qint64, cap);
        QFETCH(int, retry);
        QFETCH(qint64, ceiling);
        QCOMPARE(Backoff(base, cap).ceilingMs(retry), ceiling);
    }

    void extremesOfTheRandomValueReachBothEnds()
    {
        const Backoff backoff(1000, 300'000);
        QCOMPARE(backoff.delayMs(2, 0), 0);
        QCOMPARE(backoff.delayMs(2, 2000), 2000);
        QCOMPARE(backoff.delayMs(2, 2001), 0);
    }

    void delaysStayWithinTheirBoundsForAnyInput()
    {
        const bool ok =
            rc::check("0 <= delay <= min(cap, base * 2^(n-1))",
                      [](std::uint32_t base, std::uint32_t cap, std::uint8_t retry, std::uint64_t random) {
                          const int n = 1 + retry;
                          const Backoff backoff(base, cap);
                          const qint64 delay = backoff.delayMs(n, random);
                          RC_ASSERT(delay >= 0);
                          RC_ASSERT(delay <= backoff.ceilingMs(n));
                          long double exact = base;
                          for (int i = 1; i < n && exact <= cap; ++i)
                              exact *= 2;
                          RC_ASSERT(static_cast<long double>(backoff.ceilingMs(n)) ==
                                    std::min<long double>(cap, exact));
                      });
        QVERIFY(ok);
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
