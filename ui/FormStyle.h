#pragma once

#include <QColor>
#include <QFont>

class QLabel;
class QPalette;
class QWidget;

namespace workdeck {

/// How the forms show their inline messages and help text, shared so that every dialog looks
/// the same on light and dark palettes.
class FormStyle {
public:
    /// Qt has no palette role for errors: GNOME's error reds for light and dark windows, each
    /// above 4.5:1 contrast against its background.
    static QColor errorColour(const QPalette& palette);
    /// Secondary text: the text colour faded towards the window, still readable (PlaceholderText
    /// is too faint for whole sentences in several styles).
    static QColor mutedColour(const QPalette& palette);
    /// The dialog's font at 90 %.
    static QFont smallerFont(const QWidget& dialog);
    /// An inline problem message; `reserveLine` keeps one line of room while it is empty, so
    /// the form does not jump when a message appears.
    static void styleMessage(QLabel* label, const QWidget& dialog, bool reserveLine = true);
    /// Help text under a field.
    static void styleHelp(QLabel* label, const QWidget& dialog);
};

} // namespace workdeck
