#pragma once

#include <QWidget>

namespace workdeck {

/// One live line chart of the dashboard (throughput, failures, queue depth or workers).
class StatsChart : public QWidget {
    Q_OBJECT

public:
    explicit StatsChart(const QString& title, QWidget* parent = nullptr);
};

} // namespace workdeck
