#pragma once

#include "AppSettings.h"

#include <QDialog>
#include <QList>

class QFormLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace workdeck {

/// Settings: worker count, retry backoff base and cap, default task timeout.
///
/// The spin boxes are named after their settings keys ("workers", "backoff_base_ms",
/// "backoff_cap_ms", "default_timeout_ms"), each with a message label "<key>Message" that shows
/// AppSettings::problems() for the current values; "ok" is disabled while there are any, and
/// "restoreDefaults" puts AppSettings::defaults() back.
class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    explicit SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);
    /// What the dialog holds now (valid once accepted).
    AppSettings settings() const;

    /// Closes with Accepted only while the values are valid.
    void accept() override;

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Field {
        QSpinBox* spin = nullptr;
        QLabel* message = nullptr;
    };

    QSpinBox* addField(QFormLayout* form, const QString& key, const QString& label, int min, int max,
                       const QString& help);
    void setValues(const AppSettings& settings);
    void showProblems();
    void styleLabels();

    QList<Field> m_fields;
    QList<QLabel*> m_helps;
    QFormLayout* m_form = nullptr;
    QSpinBox* m_workers = nullptr;
    QSpinBox* m_backoffBase = nullptr;
    QSpinBox* m_backoffCap = nullptr;
    QSpinBox* m_defaultTimeout = nullptr;
    QPushButton* m_ok = nullptr;
};

} // namespace workdeck
