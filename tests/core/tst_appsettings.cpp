// Placeholder until the suite is written.
#include <QTest>

class TestAppsettings : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestAppsettings)
#include "tst_appsettings.moc"
