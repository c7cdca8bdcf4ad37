#pragma once

#include "TaskEvent.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace workdeck {

class Notifier;

/// Turns tasks failing for good into desktop notifications a person can bear: the first
/// failures after a quiet spell are told at once, and those that follow within the hold time
/// are told together when it ends, so a run of ten thousand failures says so a few times,
/// not ten thousand.
class FailureNotices : public QObject {
    Q_OBJECT

public:
    static constexpr int DefaultHoldMs = 5000;

    explicit FailureNotices(Notifier& notifier, int holdMs = DefaultHoldMs, QObject* parent = nullptr);

    /// Looks for tasks that failed for good among a batch of state changes.
    void add(const QList<workdeck::TaskEvent>& events);
    /// Tells the failures held back now (before something that should come after them).
    void flush();
    /// Failures seen but not told yet.
    qint64 held() const { return m_held; }
    /// Whether failures now would be held back rather than told at once.
    bool holding() const { return m_hold.isActive(); }

private:
    void tell(qint64 count, TaskId firstId, const QString& firstError, bool more);
    void holdEnded();

    Notifier& m_notifier;
    QTimer m_hold;
    qint64 m_held = 0;
    TaskId m_firstId = 0;
    QString m_firstError;
};

} // namespace workdeck
