#pragma once

#include <QHash>
#include <QWidget>

#include <array>

class QComboBox;
class QGridLayout;
class QLabel;
class QTableView;

namespace workdeck {

class PriorityModel;
class StatsChart;
class StatsHistory;
class WorkerPool;

/// The dashboard (SPEC S4): live charts of the pool's sampled history, its counters, pending
/// depth by priority and the estimated time to drain the queue.
///
/// Everything is drawn from WorkerPool::history() when the pool takes a sample, never per task,
/// so the cost of a refresh does not grow with the load.
class DashboardPage : public QWidget {
    Q_OBJECT

public:
    explicit DashboardPage(WorkerPool& pool, QWidget* parent = nullptr);

    /// Redraws charts, counters and the queue breakdown from the pool's history now.
    void refresh();
    /// The windows the selector offers, in seconds; the first is the default.
    static constexpr std::array<int, 3> WindowChoices{60, 600, 3600};
    /// Shows the last `seconds` of history.
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }
    /// Draws from `history` instead of the pool's, e.g. a recorded hour in tests and benchmarks;
    /// nullptr goes back to the pool's. `history` must outlive its use here.
    void setHistory(const StatsHistory* history);

signals:
    /// After every refresh(): how long it took, in nanoseconds.
    void refreshed(qint64 nanoseconds);
    void windowSecondsChanged(int seconds);

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QLabel* addTile(const QString& caption, const QString& objectName, const QString& toolTip, int row,
                    int column);
    QWidget* buildPriorityPanel();
    void refreshCounters();
    void refreshPriorities();
    void applyPalette();
    const StatsHistory& history() const;

    WorkerPool& m_pool;
    const StatsHistory* m_history = nullptr;
    int m_windowSeconds = WindowChoices[0];
    QGridLayout* m_tiles = nullptr;
    QComboBox* m_window = nullptr;
    StatsChart* m_throughput = nullptr;
    StatsChart* m_failures = nullptr;
    StatsChart* m_pending = nullptr;
    StatsChart* m_workers = nullptr;
    QHash<QString, QLabel*> m_counters; ///< value labels by objectName
    QList<QLabel*> m_captions;
    QLabel* m_drain = nullptr;
    PriorityModel* m_priorityModel = nullptr;
    QTableView* m_priorities = nullptr;
    QLabel* m_nothingPending = nullptr;
};

} // namespace workdeck
