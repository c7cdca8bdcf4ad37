// Placeholder until the suite is written.
#include <QTest>

class TestDashboardpage : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestDashboardpage)
#include "tst_dashboardpage.moc"
