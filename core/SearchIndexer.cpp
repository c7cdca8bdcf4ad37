#include "SearchIndexer.h"

#include "BackgroundPriority.h"
#include "Database.h"
#include "Logging.h"
#include "SearchIndex.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QThread>

namespace workdeck {

Result<std::unique_ptr<SearchIndexer>> SearchIndexer::start(const QString& path)
{
    std::unique_ptr<SearchIndexer> indexer(new SearchIndexer);
    SearchIndexer* self = indexer.get();
    if (auto started = indexer->m_thread.start(QStringLiteral("workdeck-search"), QThread::LowPriority,
                                               [self, path] { self->run(path); });
        !started)
        return started.error();
    return indexer;
}

SearchIndexer::~SearchIndexer()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread.wait();
}

void SearchIndexer::post(const QList<TaskEvent>& events)
{
    QMutexLocker lock(&m_mutex);
    const bool wasEmpty = m_changed.empty();
    for (const TaskEvent& event : events) {
        if (event.state != TaskState::Running)
            m_changed.push_back(event.id);
    }
    ++m_posted;
    if (wasEmpty)
        m_wake.wakeAll();
}

void SearchIndexer::postAdded()
{
    QMutexLocker lock(&m_mutex);
    m_added = true;
    ++m_posted;
    m_wake.wakeAll();
}

Result<void> SearchIndexer::flush()
{
    QMutexLocker lock(&m_mutex);
    const qint64 target = m_posted;
    ++m_flushWaiters;
    m_wake.wakeAll();
    while ((!m_caughtUp || m_done < target) && !m_thread.finished())
        m_progress.wait(&m_mutex, QDeadlineTimer(1000));
    --m_flushWaiters;
    if (!m_error.isEmpty())
        return Error{m_error};
    return {};
}

void SearchIndexer::run(const QString& path)
{
    lowerCurrentThreadPriority();
    auto opened = Database::open(path);
    m_thread.opened(opened ? QString() : opened.error().message);
    if (!opened)
        return;
    Database& db = **opened;
    SearchIndex index(db);
    const auto report = [this](const Result<void>& outcome) {
        QMutexLocker lock(&m_mutex);
        if (!outcome) {
            if (m_error != outcome.error().message)
                qCWarning(lcStorage) << "search index:" << outcome.error().message;
            m_error = outcome.error().message;
        } else {
            m_error.clear();
        }
    };

    const auto caughtUp = index.catchUp(QDateTime::currentMSecsSinceEpoch(), &m_stopping);
    report(caughtUp ? Result<void>() : Result<void>(caughtUp.error()));
    if (caughtUp && *caughtUp > 0)
        qCInfo(lcStorage) << "search index caught up with" << *caughtUp << "changed task(s)";
    {
        QMutexLocker lock(&m_mutex);
        m_caughtUp = true;
        m_progress.wakeAll();
    }

    for (;;) {
        std::vector<TaskId> changed;
        bool added = false;
        qint64 posted = 0;
        {
            QMutexLocker lock(&m_mutex);
            while (!m_stopping && !m_added && m_changed.empty())
                m_wake.wait(&m_mutex);
            // Let a busy pool's changes gather into one batch, unless someone is waiting.
            const QDeadlineTimer gather(BatchDelayMs);
            while (!m_stopping && m_flushWaiters == 0 && !gather.hasExpired())
                m_wake.wait(&m_mutex, gather);
            if (m_stopping)
                return;
            changed.swap(m_changed);
            added = m_added;
            m_added = false;
            posted = m_posted;
        }
        Result<void> outcome;
        if (added) {
            if (auto fresh = index.addNew(); !fresh)
                outcome = fresh.error();
        }
        if (outcome && !changed.empty()) {
            std::sort(changed.begin(), changed.end());
            changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
            outcome = index.refresh(changed);
        }
        report(outcome);
        QMutexLocker lock(&m_mutex);
        if (!outcome) {
            // Kept for the next batch: the database may be busy or full for a while.
            m_changed.insert(m_changed.end(), changed.begin(), changed.end());
            m_added = m_added || added;
        }
        m_done = posted;
        m_progress.wakeAll();
    }
}

} // namespace workdeck
