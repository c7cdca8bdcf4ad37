#include "ConnectionThread.h"

namespace workdeck {

Result<void> ConnectionThread::start(const QString& name, QThread::Priority priority,
                                     std::function<void()> body)
{
    m_thread.reset(QThread::create(std::move(body)));
    m_thread->setObjectName(name);
    m_thread->start(priority);
    QString error;
    {
        QMutexLocker lock(&m_mutex);
        while (!m_opened)
            m_said.wait(&m_mutex);
        error = m_error;
    }
    if (error.isEmpty())
        return {};
    m_thread->wait();
    return Error{error};
}

void ConnectionThread::opened(const QString& error)
{
    QMutexLocker lock(&m_mutex);
    m_opened = true;
    m_error = error;
    m_said.wakeAll();
}

void ConnectionThread::wait()
{
    if (m_thread)
        m_thread->wait();
}

} // namespace workdeck
