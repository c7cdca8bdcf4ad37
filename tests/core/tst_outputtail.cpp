#include "OutputTail.h"

#include <QTest>

using namespace workdeck;

class TestOutputTail : public QObject {
    Q_OBJECT

private slots:
    void keepsEverythingBelowCapacity()
    {
        OutputTail tail(10);
        tail.append("abc");
        tail.append("def");
        QCOMPARE(tail.bytes(), QByteArray("abcdef"));
        QCOMPARE(tail.droppedBytes(), 0);
    }

    void keepsOnlyTheLastBytes()
    {
        OutputTail tail(4);
        tail.append("abc");
        tail.append("def");
        QCOMPARE(tail.bytes(), QByteArray("cdef"));
        QCOMPARE(tail.droppedBytes(), 2);
        tail.append("0123456789");
        QCOMPARE(tail.bytes(), QByteArray("6789"));
        QCOMPARE(tail.droppedBytes(), 12);
    }

    void aLargeStreamStaysAtCapacity()
    {
        OutputTail tail;
        const QByteArray chunk(1000, 'x');
        for (int i = 0; i < 1000; ++i)
            tail.append(chunk);
        QCOMPARE(tail.bytes().size(), OutputTail::DefaultCapacity);
        QCOMPARE(tail.droppedBytes(), 1'000'000 - OutputTail::DefaultCapacity);
    }

    void aCharacterCutAtTheFrontIsDropped()
    {
        OutputTail tail(4);
        tail.append("a\xc3\xa9xy"); // a é x y
        QCOMPARE(tail.text(), QStringLiteral("xy").prepend(QChar(0xe9)));
        tail.append("z");
        QCOMPARE(tail.text(), QStringLiteral("xyz")); // the é lost its first byte
    }
};

QTEST_GUILESS_MAIN(TestOutputTail)
#include "tst_outputtail.moc"
