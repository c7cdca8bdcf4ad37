#include "PendingQueue.h"

#include <QTest>

#include <rapidcheck.h>

#include <algorithm>
#include <map>
#include <vector>

using namespace workdeck;

class TestPendingQueue : public QObject {
    Q_OBJECT

private slots:
    void emptyQueuePopsNone()
    {
        PendingQueue q;
        QVERIFY(q.empty());
        QCOMPARE(q.pop(), PendingQueue::None);
        QCOMPARE(q.highestPriority(), -1);
    }

    void popsHighestPriorityThenOldest()
    {
        PendingQueue q;
        q.push(0, 0);
        q.push(1, 255);
        q.push(2, 64);
        q.push(3, 255);
        q.push(4, 63);
        QCOMPARE(q.size(255), 2u);
        QCOMPARE(q.pop(), 1u);
        QCOMPARE(q.pop(), 3u);
        QCOMPARE(q.pop(), 2u);
        QCOMPARE(q.pop(), 4u);
        QCOMPARE(q.pop(), 0u);
        QVERIFY(q.empty());
    }

    void removesFromTheMiddle()
    {
        PendingQueue q;
        for (std::uint32_t s = 0; s < 5; ++s)
            q.push(s, 9);
        q.remove(2, 9);
        q.remove(0, 9);
        q.remove(4, 9);
        QCOMPARE(q.size(), 2u);
        QCOMPARE(q.pop(), 1u);
        QCOMPARE(q.pop(), 3u);
        QCOMPARE(q.highestPriority(), -1);
    }

    void aRemovedSlotPushedAgainPopsOnceInItsNewPlace()
    {
        PendingQueue q;
        q.push(1, 5);
        q.push(2, 5);
        q.remove(1, 5);
        q.push(3, 5);
        q.push(1, 5); // the same slot again, behind its tombstone
        q.remove(1, 5);
        q.push(1, 5);
        QCOMPARE(q.size(), 3u);
        QCOMPARE(q.pop(), 2u);
        QCOMPARE(q.pop(), 3u);
        QCOMPARE(q.pop(), 1u);
        QCOMPARE(q.pop(), PendingQueue::None);
        // A level emptied by removals alone forgets its tombstones.
        q.push(7, 9);
        q.remove(7, 9);
        QVERIFY(q.empty());
        q.push(7, 9);
        QCOMPARE(q.pop(), 7u);
    }

    void popManyTakesInOrderAcrossLevels()
    {
        PendingQueue q;
        q.push(10, 1);
        q.push(11, 200);
        q.push(12, 1);
        q.remove(10, 1);
        q.push(13, 200);
        std::uint32_t out[8]{};
        QCOMPARE(q.popMany(out, 2), 2u);
        QCOMPARE(out[0], 11u);
        QCOMPARE(out[1], 13u);
        QCOMPARE(q.popMany(out, 8), 1u);
        QCOMPARE(out[0], 12u);
        QVERIFY(q.empty());
    }

    // Any interleaving of pushes, pops and removals behaves like an ordered map keyed by
    // (-priority, arrival).
    void behavesLikeAReferenceModel()
    {
        const bool ok = rc::check("matches the model", [] {
            const auto ops = *rc::gen::container<std::vector<std::pair<int, int>>>(
                rc::gen::pair(rc::gen::inRange(0, 4), rc::gen::inRange(0, 256)));
            PendingQueue q;
            std::map<std::pair<int, std::uint64_t>, std::uint32_t> model; // (-priority, seq) -> slot
            std::map<std::uint32_t, std::pair<int, std::uint64_t>> where;
            std::uint64_t seq = 0;
            std::uint32_t nextSlot = 0;
            for (const auto& [op, value] : ops) {
                if (op == 0) {
                    // Slots come back after being popped or removed, at any priority; half of
                    // them go to a few levels, so that levels hold runs.
                    const int priority = value < 128 ? value % 4 : value;
                    std::uint32_t slot = static_cast<std::uint32_t>(value % 8);
                    if (where.count(slot) != 0)
                        slot = 8 + nextSlot++;
                    q.push(slot, priority);
                    model[{-priority, seq}] = slot;
                    where[slot] = {-priority, seq};
                    ++seq;
                } else if (op == 1) {
                    const std::uint32_t popped = q.pop();
                    if (model.empty()) {
                        RC_ASSERT(popped == PendingQueue::None);
                    } else {
                        RC_ASSERT(popped == model.begin()->second);
                        where.erase(popped);
                        model.erase(model.begin());
                    }
                } else if (op == 3) {
                    const auto wanted = static_cast<std::size_t>(value % 20);
                    std::vector<std::uint32_t> popped(wanted);
                    popped.resize(q.popMany(popped.data(), wanted));
                    RC_ASSERT(popped.size() == std::min(wanted, model.size()));
                    for (const std::uint32_t slot : popped) {
                        RC_ASSERT(slot == model.begin()->second);
                        where.erase(slot);
                        model.erase(model.begin());
                    }
                } else if (!where.empty()) {
                    auto it = where.begin();
                    std::advance(it, value % static_cast<int>(where.size()));
                    q.remove(it->first, -it->second.first);
                    model.erase(it->second);
                    where.erase(it);
                }
                RC_ASSERT(q.size() == model.size());
                RC_ASSERT(q.highestPriority() == (model.empty() ? -1 : -model.begin()->first.first));
            }
        });
        QVERIFY(ok);
    }
};

QTEST_GUILESS_MAIN(TestPendingQueue)
#include "tst_pendingqueue.moc"
