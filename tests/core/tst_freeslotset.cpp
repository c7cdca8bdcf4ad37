#include "FreeSlotSet.h"

#include <QTest>

#include <rapidcheck.h>

#include <algorithm>
#include <set>
#include <vector>

using namespace workdeck;

class TestFreeSlotSet : public QObject {
    Q_OBJECT

private slots:
    void takesSlotsInAscendingOrderWhateverOrderTheyWereFreedIn()
    {
        FreeSlotSet set;
        for (const std::uint32_t slot : {700u, 3u, 129u, 64u, 65u, 1'000'000u})
            set.add(slot);
        QCOMPARE(set.size(), std::size_t{6});
        std::vector<std::uint32_t> taken;
        while (!set.empty())
            taken.push_back(set.take());
        QCOMPARE(taken, (std::vector<std::uint32_t>{3, 64, 65, 129, 700, 1'000'000}));
    }

    void carriesOnFromTheLastTakenAndWrapsAround()
    {
        FreeSlotSet set;
        for (std::uint32_t slot = 0; slot < 300; slot += 50)
            set.add(slot); // 0, 50, ..., 250
        QCOMPARE(set.take(), 0u);
        QCOMPARE(set.take(), 50u);
        QCOMPARE(set.take(), 100u);
        set.add(10); // behind where it has got to: found once it wraps around
        set.add(260);
        QCOMPARE(set.take(), 150u);
        QCOMPARE(set.take(), 200u);
        QCOMPARE(set.take(), 250u);
        QCOMPARE(set.take(), 260u);
        QCOMPARE(set.take(), 10u);
        QVERIFY(set.empty());
    }

    void aSlotFreedTwiceIsHeldOnce()
    {
        FreeSlotSet set;
        set.add(5);
        set.add(5);
        QCOMPARE(set.size(), std::size_t{1});
        QCOMPARE(set.take(), 5u);
        QVERIFY(set.empty());
    }

    void holdsExactlyWhatWasFreedAndNotTaken()
    {
        const bool ok = rc::check("free slots as a set", [] {
            FreeSlotSet set;
            std::set<std::uint32_t> model;
            const auto steps = *rc::gen::container<std::vector<std::pair<bool, std::uint32_t>>>(
                rc::gen::pair(rc::gen::arbitrary<bool>(), rc::gen::inRange<std::uint32_t>(0, 5'000)));
            for (const auto& [free, slot] : steps) {
                if (free || model.empty()) {
                    set.add(slot);
                    model.insert(slot);
                } else if (slot % 2 == 0) {
                    const std::uint32_t taken = set.take();
                    RC_ASSERT(model.erase(taken) == 1u);
                } else {
                    // Many at once, as many one at a time would take.
                    const std::size_t count = std::min<std::size_t>(slot % 200, model.size());
                    FreeSlotSet oneByOne = set;
                    std::vector<std::uint32_t> taken(count);
                    set.takeMany(taken.data(), count);
                    for (const std::uint32_t s : taken) {
                        RC_ASSERT(s == oneByOne.take());
                        RC_ASSERT(model.erase(s) == 1u);
                    }
                }
                RC_ASSERT(set.size() == model.size());
            }
            while (!set.empty())
                RC_ASSERT(model.erase(set.take()) == 1u);
            RC_ASSERT(model.empty());
        });
        QVERIFY(ok);
    }
};

QTEST_APPLESS_MAIN(TestFreeSlotSet)
#include "tst_freeslotset.moc"
