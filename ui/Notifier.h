#pragma once

#include <QObject>
#include <QString>

class QSystemTrayIcon;
class QWidget;

namespace workdeck {

/// Desktop notifications (tray messages) for things that happen while the person looks
/// elsewhere: a batch finished, a task failed for good.
class Notifier : public QObject {
    Q_OBJECT

public:
    explicit Notifier(QWidget* window);

    /// Shows a tray message unless the window is active. Returns whether it was sent (also
    /// when the desktop has no tray, so that it can be tested; the message is then dropped).
    bool notify(const QString& title, const QString& text);
    /// The last message sent, as "title: text".
    const QString& lastMessage() const { return m_last; }
    int sentCount() const { return m_sent; }

private:
    QWidget* m_window;
    QSystemTrayIcon* m_tray = nullptr;
    QString m_last;
    int m_sent = 0;
};

} // namespace workdeck
