#pragma once

#include <QMainWindow>

class QLabel;

namespace workdeck {

class WorkerPool;
struct StatsSample;

/// The main window: for now the pool's live counters.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(WorkerPool& pool, QWidget* parent = nullptr);

private:
    void showSample(const StatsSample& sample);

    WorkerPool& m_pool;
    QLabel* m_counters = nullptr;
};

} // namespace workdeck
