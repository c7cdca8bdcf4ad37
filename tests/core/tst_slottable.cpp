#include "SlotTable.h"

#include <QTest>

#include <cstdint>
#include <vector>

using namespace workdeck;

namespace {
struct Record {
    std::uint64_t id = 7;
    std::uint32_t value = 3;
};
} // namespace

class TestSlotTable : public QObject {
    Q_OBJECT

private slots:
    void appendsDefaultRecordsInSlotOrder()
    {
        SlotTable<Record> table;
        QCOMPARE(table.size(), 0u);
        QCOMPARE(table.append(), 0u);
        QCOMPARE(table.append(), 1u);
        QCOMPARE(table.size(), 2u);
        QCOMPARE(table[1].id, 7u);
        QCOMPARE(table[1].value, 3u);
        table[0].value = 11;
        QCOMPARE(std::as_const(table)[0].value, 11u);
        QCOMPARE(table[1].value, 3u);
    }

    // What lets a worker read a record it was handed under the lock after letting go of it.
    void recordsStayWhereTheyAreWhileTheTableGrowsPastChunks()
    {
        SlotTable<Record> table;
        const std::size_t count = 2 * SlotTable<Record>::ChunkSize + 5;
        std::vector<const Record*> addresses;
        addresses.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint32_t slot = table.append();
            QCOMPARE(slot, static_cast<std::uint32_t>(i));
            table[slot].id = i;
            addresses.push_back(&table[slot]);
        }
        for (std::size_t i = 0; i < count; i += 997) {
            QCOMPARE(&table[static_cast<std::uint32_t>(i)], addresses[i]);
            QCOMPARE(table[static_cast<std::uint32_t>(i)].id, i);
        }
        QCOMPARE(&table[static_cast<std::uint32_t>(count - 1)], addresses.back());
        QCOMPARE(table[static_cast<std::uint32_t>(count - 1)].id, count - 1);
    }

    void growsManyAtOnceAcrossChunks()
    {
        SlotTable<Record> table;
        QCOMPARE(table.grow(64), 0u);
        QCOMPARE(table.grow(SlotTable<Record>::ChunkSize), 64u); // ends 64 into a second chunk
        QCOMPARE(table.size(), SlotTable<Record>::ChunkSize + 64);
        const auto last = static_cast<std::uint32_t>(table.size() - 1);
        table[last].id = 99; // its chunk is there to write
        QCOMPARE(table[last].id, 99u);
        QCOMPARE(table.append(), last + 1);
    }

    void chunksAreAlignedForHugePages()
    {
        SlotTable<Record> table;
        table.append();
        QCOMPARE(reinterpret_cast<std::uintptr_t>(&table[0]) % (2 * 1024 * 1024), 0u);
    }
};

QTEST_APPLESS_MAIN(TestSlotTable)
#include "tst_slottable.moc"
