#pragma once

#include "AppSettings.h"

#include <QDialog>

namespace workdeck {

/// Settings: worker count, retry backoff base and cap, default task timeout.
class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    explicit SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);
    /// What the dialog holds now (valid once accepted).
    AppSettings settings() const;
};

} // namespace workdeck
