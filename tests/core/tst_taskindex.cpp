#include "TaskIndex.h"

#include <QTest>

#include <rapidcheck.h>

#include <map>
#include <tuple>
#include <vector>

using namespace workdeck;

class TestTaskIndex : public QObject {
    Q_OBJECT

private slots:
    void findsWhatWasInserted()
    {
        TaskIndex index;
        QCOMPARE(index.find(1), TaskIndex::None);
        for (TaskId id = 100; id < 200; ++id)
            index.insert(id, static_cast<std::uint32_t>(id * 2));
        index.insert(5, 7);                 // below the window, close: the window grows down
        index.insert(1'000'000'000'000, 9); // far away: kept aside
        QCOMPARE(index.size(), 102u);
        QCOMPARE(index.find(150), 300u);
        QCOMPARE(index.find(5), 7u);
        QCOMPARE(index.find(1'000'000'000'000), 9u);
        QCOMPARE(index.find(50), TaskIndex::None);
        index.remove(150);
        index.remove(150);
        QCOMPARE(index.find(150), TaskIndex::None);
        QCOMPARE(index.size(), 101u);
    }

    void trimsReleasedIdsFromTheFrontUpToTheFirstLiveOne()
    {
        TaskIndex index;
        for (TaskId id = 1; id <= 10; ++id)
            index.insert(id, static_cast<std::uint32_t>(id));
        for (TaskId id : {1, 2, 4, 7})
            index.release(id); // lazily: still found until trimmed
        QCOMPARE(index.find(2), 2u);
        const auto live = [](TaskId id, std::uint32_t) { return id != 1 && id != 2 && id != 4 && id != 7; };
        index.trimFront(live, 1);
        QCOMPARE(index.find(1), TaskIndex::None);
        QCOMPARE(index.find(2), 2u); // the budget ran out
        index.trimFront(live, 100);
        QCOMPARE(index.find(2), TaskIndex::None);
        QCOMPARE(index.find(3), 3u); // stops at the first live id
        QCOMPARE(index.find(4), 4u);
        QCOMPARE(index.size(), 8u);
    }

    void insertsARunOfIdsAfterTheWindowOrAnywhereElse()
    {
        TaskIndex index;
        const std::vector<std::uint32_t> first{10, 11, 12};
        index.insertRun(100, first.data(), first.size()); // an empty index starts its window
        const std::vector<std::uint32_t> next{20, 21};
        index.insertRun(103, next.data(), next.size()); // right after it
        index.insert(7'000'000, 5);                     // far away: kept aside
        const std::vector<std::uint32_t> overlapping{30, 31, 32};
        index.insertRun(104, overlapping.data(), overlapping.size()); // replaces 104, adds 105 and 106
        QCOMPARE(index.size(), 8u);
        QCOMPARE(index.find(100), 10u);
        QCOMPARE(index.find(103), 20u);
        QCOMPARE(index.find(104), 30u);
        QCOMPARE(index.find(106), 32u);
        QCOMPARE(index.find(7'000'000), 5u);
        QCOMPARE(index.find(107), TaskIndex::None);
    }

    void behavesLikeAMap()
    {
        enum Op { Insert, Remove, InsertRun };
        const bool ok = rc::check("matches std::map", [] {
            const auto ops = *rc::gen::container<std::vector<std::tuple<int, std::uint32_t, int>>>(
                rc::gen::tuple(rc::gen::inRange(0, 3),
                               rc::gen::oneOf(rc::gen::inRange<std::uint32_t>(0, 20'000),
                                              rc::gen::arbitrary<std::uint32_t>()),
                               rc::gen::inRange(0, 40)));
            TaskIndex index;
            std::map<TaskId, std::uint32_t> model;
            std::uint32_t slot = 0;
            for (const auto& [op, id, length] : ops) {
                if (op == Insert) {
                    index.insert(id, slot);
                    model[id] = slot++;
                } else if (op == Remove) {
                    index.remove(id);
                    model.erase(id);
                } else {
                    std::vector<std::uint32_t> run;
                    for (int i = 0; i < length; ++i) {
                        model[TaskId{id} + static_cast<TaskId>(i)] = slot;
                        run.push_back(slot++);
                    }
                    index.insertRun(id, run.data(), run.size());
                }
                RC_ASSERT(index.size() == model.size());
                RC_ASSERT(index.find(id) == (model.count(id) ? model[id] : TaskIndex::None));
            }
            for (const auto& [id, s] : model)
                RC_ASSERT(index.find(id) == s);
        });
        QVERIFY(ok);
    }
};

QTEST_GUILESS_MAIN(TestTaskIndex)
#include "tst_taskindex.moc"
