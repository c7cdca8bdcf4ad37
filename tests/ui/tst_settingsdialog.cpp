#include "SettingsDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace workdeck;

namespace workdeck {
// Lets QCOMPARE print settings (found by argument-dependent lookup).
char* toString(const AppSettings& settings)
{
    return QTest::toString(u"{workers " + QString::number(settings.workers) + u", base " +
                           QString::number(settings.backoffBaseMs) + u" ms, cap " +
                           QString::number(settings.backoffCapMs) + u" ms, timeout " +
                           QString::number(settings.defaultTimeoutMs) + u" ms}");
}
} // namespace workdeck

namespace {
// Valid values that differ from every default, so a test can tell them apart.
const AppSettings Original{
    .workers = 3, .backoffBaseMs = 250, .backoffCapMs = 60'000, .defaultTimeoutMs = 2500};

const QStringList Keys{QStringLiteral("workers"), QStringLiteral("backoff_base_ms"),
                       QStringLiteral("backoff_cap_ms"), QStringLiteral("default_timeout_ms")};
} // namespace

class TestSettingsDialog : public QObject {
    Q_OBJECT

private slots:
    void showsTheGivenValues()
    {
        SettingsDialog dialog(Original);
        show(dialog);
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Settings"));
        QCOMPARE(spin(dialog, u"workers")->value(), 3);
        QCOMPARE(spin(dialog, u"backoff_base_ms")->value(), 250);
        QCOMPARE(spin(dialog, u"backoff_cap_ms")->value(), 60'000);
        QCOMPARE(spin(dialog, u"default_timeout_ms")->value(), 2500);
        QCOMPARE(spin(dialog, u"backoff_cap_ms")->suffix(), QStringLiteral(" ms"));
        QCOMPARE(dialog.settings(), Original);
        for (const QString& key : Keys) {
            QVERIFY2(!message(dialog, key)->isVisible(), qPrintable(key));
            QVERIFY2(message(dialog, key)->text().isEmpty(), qPrintable(key));
        }
        QVERIFY(ok(dialog)->isEnabled());
        // Each spin box has a label whose mnemonic reaches it.
        auto* form = dialog.findChild<QFormLayout*>();
        QVERIFY(form);
        for (const QString& key : Keys) {
            auto* label = qobject_cast<QLabel*>(form->labelForField(spin(dialog, key)));
            QVERIFY2(label && label->text().contains(u'&'), qPrintable(key));
            QCOMPARE(label->buddy(), spin(dialog, key));
        }
    }

    void limitsMatchCore()
    {
        SettingsDialog dialog(Original);
        QCOMPARE(spin(dialog, u"workers")->minimum(), 1);
        QCOMPARE(spin(dialog, u"workers")->maximum(), AppSettings::MaxWorkers);
        QCOMPARE(spin(dialog, u"backoff_base_ms")->minimum(), 0);
        QCOMPARE(spin(dialog, u"backoff_base_ms")->maximum(), int(AppSettings::MaxBackoffMs));
        QCOMPARE(spin(dialog, u"backoff_cap_ms")->minimum(), 0);
        QCOMPARE(spin(dialog, u"backoff_cap_ms")->maximum(), int(AppSettings::MaxBackoffMs));
        QCOMPARE(spin(dialog, u"default_timeout_ms")->minimum(), 1);
        QCOMPARE(spin(dialog, u"default_timeout_ms")->maximum(), int(TaskSpec::MaxTimeoutMs));
    }

    void typedValuesAreReturnedOnOk()
    {
        SettingsDialog dialog(Original);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        show(dialog);
        type(dialog, u"workers", u"12");
        type(dialog, u"backoff_base_ms", u"2000");
        type(dialog, u"backoff_cap_ms", u"90000");
        type(dialog, u"default_timeout_ms", u"30000");
        QTest::mouseClick(ok(dialog), Qt::LeftButton);

        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
        const AppSettings expected{
            .workers = 12, .backoffBaseMs = 2000, .backoffCapMs = 90'000, .defaultTimeoutMs = 30'000};
        QCOMPARE(dialog.settings(), expected);
    }

    void enterInASpinBoxAccepts()
    {
        SettingsDialog dialog(Original);
        show(dialog);
        type(dialog, u"workers", u"7");
        QTest::keyClick(spin(dialog, u"workers"), Qt::Key_Return);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.settings().workers, 7);
    }

    void arrowKeysStep()
    {
        SettingsDialog dialog(Original);
        show(dialog);
        QTest::keyClick(spin(dialog, u"workers"), Qt::Key_Up);
        QCOMPARE(dialog.settings().workers, 4);
        // Milliseconds step by a second.
        QTest::keyClick(spin(dialog, u"backoff_cap_ms"), Qt::Key_Down);
        QCOMPARE(dialog.settings().backoffCapMs, 59'000);
        // Typing past the maximum does not get past it.
        type(dialog, u"workers", u"999");
        QVERIFY(dialog.settings().workers <= AppSettings::MaxWorkers);
        QVERIFY(ok(dialog)->isEnabled());
    }

    void capBelowBaseShowsTheProblemAndDisablesOk()
    {
        SettingsDialog dialog(Original);
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        show(dialog);
        type(dialog, u"backoff_base_ms", u"5000");
        type(dialog, u"backoff_cap_ms", u"2000");

        QLabel* capMessage = message(dialog, QStringLiteral("backoff_cap_ms"));
        QVERIFY(capMessage->isVisible());
        QCOMPARE(capMessage->text(), QStringLiteral("Must be at least the retry backoff base."));
        QCOMPARE(spin(dialog, u"backoff_cap_ms")->accessibleDescription(), capMessage->text());
        QVERIFY(!message(dialog, QStringLiteral("backoff_base_ms"))->isVisible());
        QVERIFY(!ok(dialog)->isEnabled());

        // Neither OK, nor Enter, nor a direct accept() closes the dialog.
        QTest::mouseClick(ok(dialog), Qt::LeftButton);
        QTest::keyClick(spin(dialog, u"backoff_cap_ms"), Qt::Key_Return);
        dialog.accept();
        QCOMPARE(accepted.size(), 0);
        QVERIFY(dialog.isVisible());

        // Raising the cap again clears the message.
        type(dialog, u"backoff_cap_ms", u"9000");
        QVERIFY(!capMessage->isVisible());
        QVERIFY(capMessage->text().isEmpty());
        QVERIFY(ok(dialog)->isEnabled());
        QTest::mouseClick(ok(dialog), Qt::LeftButton);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog.settings().backoffCapMs, 9000);
    }

    void zeroBackoffIsAllowed()
    {
        SettingsDialog dialog(Original);
        show(dialog);
        type(dialog, u"backoff_base_ms", u"0");
        type(dialog, u"backoff_cap_ms", u"0");
        QVERIFY(ok(dialog)->isEnabled());
        QTest::mouseClick(ok(dialog), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.settings().backoffBaseMs, 0);
        QCOMPARE(dialog.settings().backoffCapMs, 0);
    }

    void restoreDefaults()
    {
        SettingsDialog dialog(Original);
        show(dialog);
        // Start from an invalid combination: Restore Defaults must clear its message too.
        type(dialog, u"backoff_base_ms", u"5000");
        type(dialog, u"backoff_cap_ms", u"2000");
        QVERIFY(!ok(dialog)->isEnabled());

        auto* restore = dialog.findChild<QPushButton*>(QStringLiteral("restoreDefaults"));
        QVERIFY(restore);
        auto* buttons = dialog.findChild<QDialogButtonBox*>();
        QCOMPARE(buttons->buttonRole(restore), QDialogButtonBox::ResetRole);
        QTest::mouseClick(restore, Qt::LeftButton);

        const AppSettings defaults = AppSettings::defaults();
        QCOMPARE(dialog.settings(), defaults);
        QCOMPARE(spin(dialog, u"workers")->value(), defaults.workers);
        QCOMPARE(spin(dialog, u"backoff_base_ms")->value(), 1000);
        QCOMPARE(spin(dialog, u"backoff_cap_ms")->value(), 300'000);
        QCOMPARE(spin(dialog, u"default_timeout_ms")->value(), 10'000);
        QVERIFY(!message(dialog, QStringLiteral("backoff_cap_ms"))->isVisible());
        QVERIFY(ok(dialog)->isEnabled());
        // Restoring is not accepting: the person still confirms with OK.
        QVERIFY(dialog.isVisible());
        QTest::mouseClick(ok(dialog), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.settings(), defaults);
    }

    void escapeKeepsTheOriginal()
    {
        AppSettings current = Original;
        SettingsDialog dialog(current);
        QSignalSpy rejected(&dialog, &QDialog::rejected);
        show(dialog);
        type(dialog, u"workers", u"12");
        QTest::keyClick(spin(dialog, u"workers"), Qt::Key_Escape);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.isVisible());
        // The caller's pattern: only an accepted dialog changes the settings.
        if (dialog.result() == QDialog::Accepted)
            current = dialog.settings();
        QCOMPARE(current, Original);
    }

    void cancelKeepsTheOriginal()
    {
        SettingsDialog dialog(Original);
        QSignalSpy rejected(&dialog, &QDialog::rejected);
        show(dialog);
        type(dialog, u"backoff_cap_ms", u"1");
        auto* cancel = dialog.findChild<QPushButton*>(QStringLiteral("cancel"));
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        // A dialog opened again on the kept settings shows them, not what was typed before.
        SettingsDialog again(Original);
        QCOMPARE(again.settings(), Original);
    }

    void outOfRangeInputIsClampedByTheWidgets()
    {
        // load() never hands the dialog such values, but a caller might; the dialog stays valid.
        SettingsDialog dialog(AppSettings{
            .workers = 1000, .backoffBaseMs = -5, .backoffCapMs = 100'000'000'000, .defaultTimeoutMs = 0});
        QCOMPARE(dialog.settings(), (AppSettings{AppSettings::MaxWorkers, 0, AppSettings::MaxBackoffMs, 1}));
        QVERIFY(ok(dialog)->isEnabled());
    }

private:
    static void show(SettingsDialog& dialog)
    {
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    }

    static QSpinBox* spin(const SettingsDialog& dialog, QStringView key)
    {
        auto* found = dialog.findChild<QSpinBox*>(key.toString());
        if (!found)
            qFatal("no spin box %s", qPrintable(key.toString()));
        return found;
    }

    static QLabel* message(const SettingsDialog& dialog, const QString& key)
    {
        auto* found = dialog.findChild<QLabel*>(key + u"Message");
        if (!found)
            qFatal("no message label for %s", qPrintable(key));
        return found;
    }

    static QPushButton* ok(const SettingsDialog& dialog)
    {
        auto* found = dialog.findChild<QPushButton*>(QStringLiteral("ok"));
        if (!found)
            qFatal("no OK button");
        return found;
    }

    // Replaces a spin box's number as a person does: select it all, type the new one.
    static void type(const SettingsDialog& dialog, QStringView key, QStringView text)
    {
        QSpinBox* box = spin(dialog, key);
        box->setFocus();
        QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(box, text.toString());
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
