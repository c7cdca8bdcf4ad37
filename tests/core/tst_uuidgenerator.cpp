#include "UuidGenerator.h"

#include <QSet>
#include <QTest>

using namespace workdeck;

class TestUuidGenerator : public QObject {
    Q_OBJECT

private slots:
    void makesVersionFourRfc4122Uuids()
    {
        UuidGenerator generator;
        for (int i = 0; i < 1000; ++i) {
            const QUuid uuid = generator.next();
            QCOMPARE(uuid.version(), QUuid::Random);
            QCOMPARE(uuid.variant(), QUuid::DCE);
            QCOMPARE(QUuid::fromString(uuid.toString()), uuid);
        }
    }

    void neverRepeatsWithinOrAcrossGenerators()
    {
        QSet<QUuid> seen;
        UuidGenerator first;
        UuidGenerator second; // seeded separately: the two streams must differ too
        for (int i = 0; i < 100'000; ++i) {
            seen.insert(first.next());
            seen.insert(second.next());
        }
        QCOMPARE(seen.size(), 200'000);
    }

    void usesEveryRandomBit()
    {
        // Over many UUIDs each of the 122 random bits is seen both set and clear.
        UuidGenerator generator;
        QByteArray ones(16, '\0');
        QByteArray zeros(16, '\0');
        for (int i = 0; i < 256; ++i) {
            const QByteArray bytes = generator.next().toRfc4122();
            for (int b = 0; b < 16; ++b) {
                ones[b] = static_cast<char>(ones[b] | bytes[b]);
                zeros[b] = static_cast<char>(zeros[b] | ~bytes[b]);
            }
        }
        // Fixed bits: the version nibble (byte 6, 0100) and the variant (byte 8, 10).
        QCOMPARE(static_cast<uchar>(ones[6]), uchar(0x4F));
        QCOMPARE(static_cast<uchar>(zeros[6]), uchar(0xBF));
        QCOMPARE(static_cast<uchar>(ones[8]), uchar(0xBF));
        QCOMPARE(static_cast<uchar>(zeros[8]), uchar(0x7F));
        for (int b : {0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13, 14, 15}) {
            QCOMPARE(static_cast<uchar>(ones[b]), uchar(0xFF));
            QCOMPARE(static_cast<uchar>(zeros[b]), uchar(0xFF));
        }
    }
};

QTEST_GUILESS_MAIN(TestUuidGenerator)
#include "tst_uuidgenerator.moc"
