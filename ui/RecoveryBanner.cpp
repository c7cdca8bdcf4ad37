#include "RecoveryBanner.h"

#include "TaskStore.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QStyle>
#include <QToolButton>

namespace workdeck {

RecoveryBanner::RecoveryBanner(QWidget* parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("recoveryBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // The palette's highlight, faded into the window colour: noticeable in light and dark themes.
    QPalette pal = palette();
    QColor tint = pal.color(QPalette::Highlight);
    const QColor window = pal.color(QPalette::Window);
    tint.setRgbF(0.2f * tint.redF() + 0.8f * window.redF(), 0.2f * tint.greenF() + 0.8f * window.greenF(),
                 0.2f * tint.blueF() + 0.8f * window.blueF());
    pal.setColor(QPalette::Window, tint);
    setPalette(pal);

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(20, 20));
    m_text->setObjectName(QStringLiteral("recoveryText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    auto* close = new QToolButton(this);
    close->setObjectName(QStringLiteral("dismissRecovery"));
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Dismiss"));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(close);
    connect(m_text, &QLabel::linkActivated, this, &RecoveryBanner::showTasks);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void RecoveryBanner::showRecovery(const Recovery& recovery)
{
    if (recovery.total() == 0) {
        hide();
        return;
    }
    const QLocale locale;
    m_text->setText(
        tr("<b>The last run was interrupted.</b> Of the tasks that were running or waiting to retry, "
           "%1 back in the queue with their attempts kept, %2 failed as “interrupted” with no attempts "
           "left. <a href='#recovered'>Show these tasks</a>")
            .arg(locale.toString(recovery.requeued), locale.toString(recovery.failed)));
    show();
}

QString RecoveryBanner::text() const
{
    return m_text->text();
}

} // namespace workdeck
