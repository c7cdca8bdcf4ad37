// Placeholder until the suite is written.
#include <QTest>

class TestBatchimport : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestBatchimport)
#include "tst_batchimport.moc"
