#include "CallQueue.h"

namespace workdeck {

CallQueue::CallQueue(QObject* owner)
    : QObject(owner)
{
}

void CallQueue::post(std::function<void()> call)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        wake = m_calls.empty(); // otherwise a wake-up is on its way, or runPosted() is looping
        m_calls.push_back(std::move(call));
    }
    if (wake)
        QMetaObject::invokeMethod(this, "runPosted", Qt::QueuedConnection);
}

void CallQueue::runPosted()
{
    // One at a time: a call that opens a dialog, and with it an event loop, leaves the calls
    // after it to run in their order, from that loop or from this one.
    for (;;) {
        std::function<void()> call;
        {
            QMutexLocker lock(&m_mutex);
            if (m_calls.empty())
                return;
            call = std::move(m_calls.front());
            m_calls.pop_front();
        }
        call();
    }
}

} // namespace workdeck
