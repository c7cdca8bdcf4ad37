#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace workdeck {

/// One live line chart of the dashboard (throughput, failures, queue depth or workers).
///
/// The x axis is wall time; the series is decimated to at most one point per pixel of the plot
/// (the low and high of every two pixels) and updated with one QXYSeries::replace() per tick.
/// Colours follow the widget's palette.
class StatsChart : public QChartView {
    Q_OBJECT

public:
    StatsChart(const QString& title, const QColor& accent, QWidget* parent = nullptr);

    /// Shows `points` (x: UTC milliseconds, ascending) over [`fromMs`, `toMs`]; the y axis runs
    /// from 0 to a round number above the highest point.
    void setPoints(const QList<QPointF>& points, qint64 fromMs, qint64 toMs);
    /// Whole-number series (queue depth, workers) get whole-number ticks.
    void setIntegral(bool integral);
    /// The y axis reaches at least `value` from the next setPoints() on (the worker count, so
    /// that the active-workers line reads as a share of the pool).
    void setMinimumCeiling(double value);

    /// Points the series holds after decimation.
    int pointCount() const;
    /// The top of the y axis.
    double ceiling() const;
    QLineSeries* series() const { return m_series; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyPalette();
    void applyFonts();
    void applyCeiling(double dataMax);
    int bucketsForWidth() const;
    void fitTimeTicks();
    void redecimate();

    QLineSeries* m_series = nullptr;
    QDateTimeAxis* m_timeAxis = nullptr;
    QValueAxis* m_valueAxis = nullptr;
    QList<QPointF> m_points; ///< as given, to decimate again when the plot changes width
    int m_buckets = 0;
    QColor m_accent;
    double m_minimumCeiling = 0;
    bool m_integral = false;
};

} // namespace workdeck
