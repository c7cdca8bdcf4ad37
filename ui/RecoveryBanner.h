#pragma once

#include <QFrame>

class QLabel;

namespace workdeck {

struct Recovery;

/// A bar above the pages that says what crash recovery did at start (SPEC S2), with a link
/// to the tasks it changed. Hidden when nothing was recovered, and once dismissed.
class RecoveryBanner : public QFrame {
    Q_OBJECT

public:
    explicit RecoveryBanner(QWidget* parent = nullptr);

    void showRecovery(const Recovery& recovery);
    QString text() const;

signals:
    /// The person asked to see the recovered tasks.
    void showTasks();

private:
    QLabel* m_text;
};

} // namespace workdeck
