#include "TaskIndex.h"

#include <QTest>

#include <rapidcheck.h>

#include <map>

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

    void behavesLikeAMap()
    {
        const bool ok = rc::check("matches std::map", [] {
            const auto ops = *rc::gen::container<std::vector<std::pair<bool, std::uint32_t>>>(rc::gen::pair(
                rc::gen::arbitrary<bool>(), rc::gen::oneOf(rc::gen::inRange<std::uint32_t>(0, 20'000),
                                                           rc::gen::arbitrary<std::uint32_t>())));
            TaskIndex index;
            std::map<TaskId, std::uint32_t> model;
            std::uint32_t slot = 0;
            for (const auto& [insert, id] : ops) {
                if (insert) {
                    index.insert(id, slot);
                    model[id] = slot++;
                } else {
                    index.remove(id);
                    model.erase(id);
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
