#pragma once

#include <QWidget>

namespace workdeck {

class WorkerPool;

/// The dashboard (SPEC S4): live charts of the pool's sampled history, its counters, pending
/// depth by priority and the estimated time to drain the queue.
class DashboardPage : public QWidget {
    Q_OBJECT

public:
    explicit DashboardPage(WorkerPool& pool, QWidget* parent = nullptr);
};

} // namespace workdeck
