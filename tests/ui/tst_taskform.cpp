// Placeholder until the suite is written.
#include <QTest>

class TestTaskform : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestTaskform)
#include "tst_taskform.moc"
