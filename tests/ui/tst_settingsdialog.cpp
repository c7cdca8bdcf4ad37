// Placeholder until the suite is written.
#include <QTest>

class TestSettingsdialog : public QObject {
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_MAIN(TestSettingsdialog)
#include "tst_settingsdialog.moc"
