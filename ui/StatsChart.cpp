#include "StatsChart.h"

#include "SeriesDecimator.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFontMetrics>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>

namespace workdeck {

namespace {

// Fewer buckets than this and a narrow chart would hide short spikes between its points.
constexpr int MinimumBuckets = 100;
// The low and high of every two pixels draw the same envelope as those of every pixel, at half
// the points. Qt Charts re-strokes the whole line on every axis change and replace(), so the
// points are the cost: bench_dashboard measured 3.3 ms per refresh of four hour-long charts at
// two points per pixel, 2.1 ms at one.
constexpr int PixelsPerBucket = 2;
constexpr int TargetIntervals = 4;

QColor mix(const QColor& from, const QColor& to, double amount)
{
    const auto channel = [amount](double a, double b) { return a + (b - a) * amount; };
    return QColor::fromRgbF(static_cast<float>(channel(from.redF(), to.redF())),
                            static_cast<float>(channel(from.greenF(), to.greenF())),
                            static_cast<float>(channel(from.blueF(), to.blueF())));
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
double niceStep(double raw)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude;
    const double nice = fraction <= 1     ? 1
                        : fraction <= 2   ? 2
                        : fraction <= 2.5 ? 2.5
                        : fraction <= 5   ? 5
                                          : 10;
    return nice * magnitude;
}

/// Decimals that print `step` exactly (0.25 needs two, 5000 none).
int decimalsFor(double step)
{
    for (int decimals = 0; decimals < 6; ++decimals) {
        const double scaled = step * std::pow(10.0, decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * scaled)
            return decimals;
    }
    return 6;
}

} // namespace

StatsChart::StatsChart(const QString& title, const QColor& accent, QWidget* parent)
    : QChartView(parent)
    , m_series(new QLineSeries)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
    , m_accent(accent)
{
    auto* c = new QChart;
    c->setTitle(title);
    c->legend()->hide();
    c->setAnimationOptions(QChart::NoAnimation);
    c->setLocalizeNumbers(true);
    c->setBackgroundRoundness(8);
    c->setMargins(QMargins(6, 2, 10, 4));
    c->layout()->setContentsMargins(0, 0, 0, 0);
    c->addSeries(m_series);

    m_timeAxis->setTickCount(TargetIntervals + 1);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setRange(0, 1);
    c->addAxis(m_timeAxis, Qt::AlignBottom);
    c->addAxis(m_valueAxis, Qt::AlignLeft);
    m_series->attachAxis(m_timeAxis);
    m_series->attachAxis(m_valueAxis);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(now - 60'000), QDateTime::fromMSecsSinceEpoch(now));

    // The view takes the new chart but lets go of the empty one it made for itself (Qt's
    // documentation: "users need to make sure the previous chart is deleted").
    std::unique_ptr<QChart> previous(chart());
    setChart(c);
    // The first points usually arrive before the layout has given the plot its width.
    connect(c, &QChart::plotAreaChanged, this, &StatsChart::redecimate);
    setRenderHint(QPainter::Antialiasing);
    setFrameShape(QFrame::NoFrame);
    setMinimumSize(200, 130);
    applyPalette();
    applyFonts();
}

void StatsChart::setIntegral(bool integral)
{
    m_integral = integral;
}

void StatsChart::setMinimumCeiling(double value)
{
    m_minimumCeiling = value;
}

int StatsChart::pointCount() const
{
    return static_cast<int>(m_series->count());
}

double StatsChart::ceiling() const
{
    return m_valueAxis->max();
}

void StatsChart::setPoints(const QList<QPointF>& points, qint64 fromMs, qint64 toMs)
{
    m_points = points;
    m_buckets = bucketsForWidth();
    const QList<QPointF> shown = SeriesDecimator::decimate(points, m_buckets);

    double dataMax = 0;
    for (const QPointF& p : std::as_const(shown))
        dataMax = std::max(dataMax, p.y());

    // Minutes are enough to tell ticks apart an hour wide; a few minutes need seconds.
    const QString format = toMs - fromMs > 30 * 60'000 ? QStringLiteral("HH:mm") : QStringLiteral("HH:mm:ss");
    if (m_timeAxis->format() != format)
        m_timeAxis->setFormat(format);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    fitTimeTicks();
    applyCeiling(dataMax);
    m_series->replace(shown);
}

int StatsChart::bucketsForWidth() const
{
    return std::max(MinimumBuckets, static_cast<int>(chart()->plotArea().width()) / PixelsPerBucket);
}

void StatsChart::fitTimeTicks()
{
    // As many times as fit side by side without Qt eliding them to "06:1...".
    const QFontMetrics metrics(m_timeAxis->labelsFont());
    const int labelWidth =
        metrics.horizontalAdvance(QDateTime::currentDateTime().toString(m_timeAxis->format())) +
        metrics.averageCharWidth() * 3;
    const int intervals = std::clamp(static_cast<int>(chart()->plotArea().width()) / std::max(1, labelWidth),
                                     1, TargetIntervals);
    if (m_timeAxis->tickCount() != intervals + 1)
        m_timeAxis->setTickCount(intervals + 1);
}

void StatsChart::redecimate()
{
    fitTimeTicks();
    const int buckets = bucketsForWidth();
    if (buckets == m_buckets)
        return;
    const int previous = m_buckets;
    m_buckets = buckets;
    // Input that fits both the old and the new width is already shown in full.
    if (m_points.size() > 2 * qsizetype{std::min(previous, buckets)})
        m_series->replace(SeriesDecimator::decimate(m_points, buckets));
}

void StatsChart::applyCeiling(double dataMax)
{
    double step = 0;
    double ceiling = 0;
    if (dataMax <= 0 && m_minimumCeiling <= 0) {
        ceiling = m_integral ? TargetIntervals : 1;
        step = ceiling / TargetIntervals;
    } else {
        step = niceStep(std::max(dataMax, m_minimumCeiling) / TargetIntervals);
        if (m_integral && step < 1)
            step = 1;
        else if (m_integral && step != std::floor(step))
            step = 2; // 2.5 is the only fractional step above 1
        // Strictly above the data, so a flat line at the maximum does not run along the frame.
        ceiling = step * (std::floor(dataMax / step) + 1);
        if (ceiling < m_minimumCeiling)
            ceiling = step * std::ceil(m_minimumCeiling / step);
    }
    const int intervals = static_cast<int>(std::lround(ceiling / step));

    const QString format = QStringLiteral("%.%1f").arg(decimalsFor(step));
    if (m_valueAxis->labelFormat() != format)
        m_valueAxis->setLabelFormat(format);
    if (m_valueAxis->tickCount() != intervals + 1)
        m_valueAxis->setTickCount(intervals + 1);
    if (m_valueAxis->min() != 0 || m_valueAxis->max() != ceiling)
        m_valueAxis->setRange(0, ceiling);
}

void StatsChart::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    else if (event->type() == QEvent::FontChange)
        applyFonts();
}

void StatsChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const bool dark = base.lightnessF() < 0.5;

    setBackgroundBrush(pal.color(QPalette::Window)); // shows round the chart's rounded corners
    QChart* c = chart();
    c->setBackgroundBrush(base);
    c->setBackgroundPen(QPen(mix(base, text, dark ? 0.22 : 0.16), 1));
    c->setTitleBrush(text);

    const QColor labels = mix(base, text, 0.68);
    const QColor grid = mix(base, text, dark ? 0.14 : 0.09);
    const QColor line = mix(base, text, 0.3);
    for (QAbstractAxis* axis :
         {static_cast<QAbstractAxis*>(m_timeAxis), static_cast<QAbstractAxis*>(m_valueAxis)}) {
        axis->setLabelsBrush(labels);
        axis->setGridLinePen(QPen(grid, 1));
        axis->setLinePen(QPen(line, 1));
        axis->setShadesVisible(false);
    }
    m_valueAxis->setLineVisible(false);
    m_timeAxis->setGridLineVisible(false);
    m_valueAxis->setMinorGridLineVisible(false);

    // The same hue reads well on both backgrounds once it is a little lighter on dark ones.
    QPen pen(dark ? m_accent.lighter(135) : m_accent, 2);
    m_series->setPen(pen);
}

void StatsChart::applyFonts()
{
    QFont titleFont = font();
    titleFont.setWeight(QFont::DemiBold);
    chart()->setTitleFont(titleFont);
    QFont labelFont = font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.85);
    m_timeAxis->setLabelsFont(labelFont);
    m_valueAxis->setLabelsFont(labelFont);
}

} // namespace workdeck
