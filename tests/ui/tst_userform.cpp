// Placeholder until the suite is written.
#include <QTest>

class TestUserform : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestUserform)
#include "tst_userform.moc"
