#include "Notifier.h"

#include <QSystemTrayIcon>
#include <QWidget>

namespace workdeck {

Notifier::Notifier(QWidget* window)
    : QObject(window)
    , m_window(window)
{
}

bool Notifier::notify(const QString& title, const QString& text)
{
    if (m_window->isActiveWindow())
        return false;
    m_last = title + u": " + text;
    ++m_sent;
    if (!QSystemTrayIcon::isSystemTrayAvailable() || !QSystemTrayIcon::supportsMessages())
        return true;
    if (!m_tray) {
        // Shown only once there is something to say, and then kept: the icon is where the
        // message came from.
        m_tray = new QSystemTrayIcon(m_window->windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("Workdeck"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, m_window, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
        m_tray->show();
    }
    m_tray->showMessage(title, text, QSystemTrayIcon::Information);
    return true;
}

} // namespace workdeck
