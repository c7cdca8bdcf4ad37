#include "FailureNotices.h"

#include "Notifier.h"

#include <QLocale>

namespace workdeck {

FailureNotices::FailureNotices(Notifier& notifier, int holdMs, QObject* parent)
    : QObject(parent)
    , m_notifier(notifier)
{
    m_hold.setSingleShot(true);
    m_hold.setInterval(holdMs);
    connect(&m_hold, &QTimer::timeout, this, &FailureNotices::holdEnded);
}

void FailureNotices::add(const QList<TaskEvent>& events)
{
    qint64 failed = 0;
    const TaskEvent* first = nullptr;
    for (const TaskEvent& event : events) {
        if (event.state == TaskState::Failed) {
            if (!first)
                first = &event;
            ++failed;
        }
    }
    if (failed == 0)
        return;
    if (m_hold.isActive()) {
        if (m_held == 0) {
            m_firstId = first->id;
            m_firstError = first->error;
        }
        m_held += failed;
        return;
    }
    tell(failed, first->id, first->error, false);
    m_hold.start();
}

void FailureNotices::flush()
{
    if (m_held == 0)
        return;
    tell(m_held, m_firstId, m_firstError, true);
    m_held = 0;
    m_firstError.clear();
}

void FailureNotices::holdEnded()
{
    if (m_held == 0)
        return; // quiet: the next failure is told at once
    flush();
    m_hold.start(); // still failing: keep holding
}

void FailureNotices::tell(qint64 count, TaskId firstId, const QString& firstError, bool more)
{
    if (count == 1) {
        m_notifier.notify(tr("A task failed"), tr("Task %1: %2").arg(firstId).arg(firstError));
        return;
    }
    const QString text = more ? tr("%1 more tasks failed for good, the first %2: %3")
                              : tr("%1 tasks failed for good, the first %2: %3");
    m_notifier.notify(tr("Tasks failed"), text.arg(QLocale().toString(count)).arg(firstId).arg(firstError));
}

} // namespace workdeck
