#pragma once

#include <QMutex>
#include <QObject>

#include <deque>
#include <functional>

namespace workdeck {

/// Calls posted from any thread, run later in the thread of the object that owns the queue, in
/// the order they were posted. A functor queued with QMetaObject::invokeMethod would be made in
/// one thread and run and destroyed in the other, ordered only by the lock inside Qt's event
/// queue, which ThreadSanitizer (the tsan preset) cannot see; these pass through a mutex of
/// their own, and Qt carries nothing but the wake-up.
class CallQueue : public QObject {
    Q_OBJECT

public:
    explicit CallQueue(QObject* owner);

    /// Callable from any thread.
    void post(std::function<void()> call);

private:
    Q_INVOKABLE void runPosted();

    QMutex m_mutex;
    std::deque<std::function<void()>> m_calls;
};

} // namespace workdeck
