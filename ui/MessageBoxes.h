#pragma once

#include <QString>
#include <QStringList>

class QWidget;

namespace workdeck {

/// Every question and error box of the window goes through here, so that tests can answer
/// questions in advance and read what would have been shown.
class MessageBoxes {
public:
    /// Asks the person to go ahead; true when they chose `action` (e.g. "Queue Tasks").
    static bool confirm(QWidget* parent, const QString& title, const QString& text, const QString& action,
                        const QString& details = {});
    /// Shows an error: `text` says what happened and what to do next; `details` may be long.
    static void error(QWidget* parent, const QString& title, const QString& text,
                      const QString& details = {});

    /// Tests: no box opens from now on; confirm() takes its answers from setNextAnswer() (no
    /// answer left means "no"), and everything shown is kept in shown().
    static void setTestMode(bool on);
    static void setNextAnswer(bool answer);
    /// Each box that would have been shown, as "title\ntext\ndetails".
    static QStringList shown();
    static void clearShown();
};

} // namespace workdeck
