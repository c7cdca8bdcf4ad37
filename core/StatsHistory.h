#pragma once

#include <QList>
#include <QMetaType>
#include <QtGlobal>

#include <vector>

namespace workdeck {

/// One tick of the pool's statistics, as the dashboard charts and counters show it.
struct StatsSample {
    qint64 atMs = 0;           ///< wall clock, UTC milliseconds
    double finishedPerSec = 0; ///< tasks reaching succeeded, failed or cancelled
    double failedPerSec = 0;   ///< failed attempts, retried or not
    qint64 pending = 0;
    qint64 running = 0;
    qint64 retrying = 0;
    qint64 succeeded = 0; ///< totals since the pool started
    qint64 failed = 0;
    qint64 cancelled = 0;
    int workers = 0;
    int activeWorkers = 0;
    qint64 waitP50Us = 0; ///< queue wait and run time of the attempts that ended in this tick
    qint64 waitP95Us = 0;
    qint64 runP50Us = 0;
    qint64 runP95Us = 0;
};

/// A fixed-size ring of samples, oldest first; appending never allocates once full.
class StatsHistory {
public:
    explicit StatsHistory(int capacity);

    void append(const StatsSample& sample);
    int capacity() const { return static_cast<int>(m_ring.size()); }
    int size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    /// `index` 0 is the oldest sample kept.
    const StatsSample& at(int index) const;
    const StatsSample& latest() const { return at(m_size - 1); }
    /// The newest `count` samples (fewer if not yet recorded), oldest first.
    QList<StatsSample> last(int count) const;

private:
    std::vector<StatsSample> m_ring;
    int m_start = 0;
    int m_size = 0;
};

} // namespace workdeck

Q_DECLARE_METATYPE(workdeck::StatsSample)
