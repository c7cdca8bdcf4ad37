#include "FreeSlotSet.h"

#include <QTest>

#include <rapidcheck.h>

#include <set>
#include <vector>

using namespace workdeck;

class TestFreeSlotSet : public QObject {
    Q_OBJECT

private slots:
    void eachGroupTakesAscendingSlotsFromAWordOfItsOwn()
    {
        FreeSlotSet set;
        for (std::uint32_t slot = 0; slot < 192; ++slot)
            set.add(slot);
        QCOMPARE(set.take(7), 0u);
        QCOMPARE(set.take(7), 1u);
        QCOMPARE(set.take(200), 64u); // the first word is group 7's
        QCOMPARE(set.take(7), 2u);
        QCOMPARE(set.take(0), 128u);
        QCOMPARE(set.take(200), 65u);
        QCOMPARE(set.size(), std::size_t{186});
    }

    void aGroupThatUsedUpItsWordMovesOnAndWrapsAround()
    {
        FreeSlotSet set;
        for (const std::uint32_t slot : {3u, 64u, 70u, 200u})
            set.add(slot);
        QCOMPARE(set.take(1), 3u);
        QCOMPARE(set.take(2), 64u);
        QCOMPARE(set.take(1), 200u); // its word used up, group 1 starts on the next free one
        set.add(5);                  // behind where the groups have got to: found on wrapping
        QCOMPARE(set.take(1), 5u);
        QCOMPARE(set.take(2), 70u);
        QCOMPARE(set.take(2), FreeSlotSet::None);
        QVERIFY(set.empty());
    }

    void slotsFreedInAGroupsWordAreThatGroups()
    {
        FreeSlotSet set;
        set.add(10);
        set.add(11);
        QCOMPARE(set.take(4), 10u);
        set.add(30);
        QCOMPARE(set.take(9), FreeSlotSet::None); // 11 and 30 are in group 4's word
        QCOMPARE(set.size(), std::size_t{2});
        QCOMPARE(set.take(4), 11u);
        QCOMPARE(set.take(4), 30u);
        set.add(12); // the word was used up and let go: anybody's now
        QCOMPARE(set.take(9), 12u);
    }

    void aGrownWordIsWhereTheNextGroupToNeedOneStarts()
    {
        FreeSlotSet set;
        set.add(1); // behind: group 5 starts on the new word rather than look for this one
        set.addWord(128);
        QCOMPARE(set.size(), std::size_t{65});
        QCOMPARE(set.take(5), 128u);
        QCOMPARE(set.take(6), 1u); // the cursor wraps around to it
        for (std::uint32_t slot = 129; slot < 192; ++slot)
            QCOMPARE(set.take(5), slot);
        QCOMPARE(set.take(5), FreeSlotSet::None);
        QVERIFY(set.empty());
    }

    void aSlotFreedTwiceIsHeldOnce()
    {
        FreeSlotSet set;
        set.add(5);
        set.add(5);
        QCOMPARE(set.size(), std::size_t{1});
        QCOMPARE(set.take(0), 5u);
        QVERIFY(set.empty());
        QCOMPARE(set.take(0), FreeSlotSet::None);
    }

    void holdsExactlyWhatWasFreedAndNotTaken()
    {
        const bool ok = rc::check("free slots as a set", [] {
            FreeSlotSet set;
            std::set<std::uint32_t> model;
            const auto steps = *rc::gen::container<std::vector<std::pair<bool, std::uint32_t>>>(
                rc::gen::pair(rc::gen::arbitrary<bool>(), rc::gen::inRange<std::uint32_t>(0, 5'000)));
            for (const auto& [free, slot] : steps) {
                if (free) {
                    set.add(slot);
                    model.insert(slot);
                } else if (const std::uint32_t taken = set.take(slot % 8); taken != FreeSlotSet::None) {
                    RC_ASSERT(model.erase(taken) == 1u);
                } else {
                    // Only other groups' words can hold what is left: at most 64 for each.
                    RC_ASSERT(model.size() <= 7u * 64u);
                }
                RC_ASSERT(set.size() == model.size());
            }
            // Every group taking all it can between them takes every free slot, each once.
            for (std::size_t group = 0; group < FreeSlotSet::Groups; ++group) {
                for (std::uint32_t taken = set.take(group); taken != FreeSlotSet::None;
                     taken = set.take(group))
                    RC_ASSERT(model.erase(taken) == 1u);
            }
            RC_ASSERT(model.empty());
            RC_ASSERT(set.empty());
        });
        QVERIFY(ok);
    }
};

QTEST_APPLESS_MAIN(TestFreeSlotSet)
#include "tst_freeslotset.moc"
