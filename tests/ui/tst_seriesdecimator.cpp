// Placeholder until the suite is written.
#include <QTest>

class TestSeriesdecimator : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestSeriesdecimator)
#include "tst_seriesdecimator.moc"
