#include "DashboardPage.h"

#include "StatsChart.h"
#include "WorkerPool.h"

#include <QAbstractTableModel>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace workdeck {

namespace {

/// Samples the drain estimate averages the finishing rate over (about half a minute).
constexpr int DrainRateSamples = 30;
constexpr int FractionRole = Qt::UserRole + 1;

QColor mix(const QColor& from, const QColor& to, double amount)
{
    const auto channel = [amount](double a, double b) { return a + (b - a) * amount; };
    return QColor::fromRgbF(static_cast<float>(channel(from.redF(), to.redF())),
                            static_cast<float>(channel(from.greenF(), to.greenF())),
                            static_cast<float>(channel(from.blueF(), to.blueF())));
}

/// A rounded panel in the base colour, like the charts beside it.
class Card : public QWidget {
public:
    using QWidget::QWidget;

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        const QColor base = palette().color(QPalette::Base);
        const bool dark = base.lightnessF() < 0.5;
        painter.setPen(QPen(mix(base, palette().color(QPalette::Text), dark ? 0.22 : 0.16), 1));
        painter.setBrush(base);
        painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    }
};

/// Draws the pending count over a bar as long as its share of the largest level.
class BarDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const double fraction = index.data(FractionRole).toDouble();
        if (fraction > 0) {
            QRectF bar = QRectF(option.rect).adjusted(2, 3, -2, -3);
            bar.setWidth(std::max(2.0, bar.width() * fraction));
            QColor colour = option.palette.color(QPalette::Highlight);
            colour.setAlphaF(0.3f);
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(Qt::NoPen);
            painter->setBrush(colour);
            painter->drawRoundedRect(bar, 2, 2);
            painter->restore();
        }
        QStyledItemDelegate::paint(painter, option, index);
    }
};

QString formatCount(qint64 value)
{
    return QLocale().toString(value);
}

} // namespace

/// The non-empty priority levels, highest first. Updated in one go per sample: up to 256 rows
/// filled item by item would relayout the view on every item.
class PriorityModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setLevels(const std::array<quint32, 256>& levels)
    {
        QList<Level> rows;
        quint32 largest = 0;
        for (int priority = 255; priority >= 0; --priority) {
            if (const quint32 n = levels[static_cast<std::size_t>(priority)]; n > 0) {
                rows.append({priority, n});
                largest = std::max(largest, n);
            }
        }
        if (rows.size() != m_rows.size()) {
            beginResetModel();
            m_rows = std::move(rows);
            m_largest = largest;
            endResetModel();
        } else if (rows != m_rows) {
            m_rows = std::move(rows);
            m_largest = largest;
            emit dataChanged(index(0, 0), index(rowCount() - 1, 1));
        }
    }

    int rowCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
    }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : 2; }

    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid))
            return {};
        const Level& level = m_rows.at(index.row());
        switch (role) {
        case Qt::DisplayRole:
            return index.column() == 0 ? QLocale().toString(level.priority) : formatCount(level.count);
        case Qt::TextAlignmentRole:
            return (Qt::AlignRight | Qt::AlignVCenter).toInt();
        case FractionRole:
            return index.column() == 1 ? static_cast<double>(level.count) / m_largest : 0.0;
        default:
            return {};
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return QAbstractTableModel::headerData(section, orientation, role);
        return section == 0 ? DashboardPage::tr("Priority") : DashboardPage::tr("Pending");
    }

private:
    struct Level {
        int priority = 0;
        quint32 count = 0;
        bool operator==(const Level&) const = default;
    };
    QList<Level> m_rows;
    quint32 m_largest = 0;
};

/// "850 µs", "12.5 ms", "4.2 s", "3 min 20 s": the unit a person would say.
QString formatMicros(qint64 micros)
{
    const QLocale locale;
    if (micros < 1000)
        return locale.toString(micros) + u" µs";
    const auto withUnit = [&locale](double value, QStringView unit) -> QString {
        const int decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
        return locale.toString(value, 'f', decimals) + u' ' + unit;
    };
    if (micros < 1'000'000)
        return withUnit(static_cast<double>(micros) / 1e3, u"ms");
    if (micros < 60'000'000)
        return withUnit(static_cast<double>(micros) / 1e6, u"s");
    const qint64 seconds = micros / 1'000'000;
    return DashboardPage::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

/// A remaining time to the nearest second, in its two largest units.
QString formatSeconds(double seconds)
{
    if (seconds < 1)
        return DashboardPage::tr("< 1 s");
    const auto s = static_cast<qint64>(std::llround(seconds));
    if (s < 60)
        return DashboardPage::tr("%1 s").arg(s);
    if (s < 3600)
        return DashboardPage::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86'400)
        return DashboardPage::tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
    return DashboardPage::tr("%1 d %2 h").arg(s / 86'400).arg(s % 86'400 / 3600);
}

DashboardPage::DashboardPage(WorkerPool& pool, QWidget* parent)
    : QWidget(parent)
    , m_pool(pool)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->setSpacing(10);

    m_tiles = new QGridLayout;
    m_tiles->setSpacing(8);
    addTile(tr("Pending"), QStringLiteral("counter-pending"), tr("Tasks waiting for a worker"), 0, 0);
    addTile(tr("Running"), QStringLiteral("counter-running"), tr("Attempts running now"), 0, 1);
    addTile(tr("Retrying"), QStringLiteral("counter-retrying"), tr("Failed attempts waiting to run again"), 0,
            2);
    // Finished counts are this session's (the pool's); the status bar has the database's totals.
    const QString session = tr("Since Workdeck started; the status bar counts the whole database");
    addTile(tr("Succeeded this session"), QStringLiteral("counter-succeeded"), session, 0, 3);
    addTile(tr("Failed this session"), QStringLiteral("counter-failed"), session, 0, 4);
    addTile(tr("Cancelled this session"), QStringLiteral("counter-cancelled"), session, 0, 5);
    addTile(tr("Workers"), QStringLiteral("counter-workers"), tr("Workers in the pool"), 1, 0);
    const QString latest = tr("Of the attempts that ended in the most recent sample that had any");
    addTile(tr("Queue wait p50"), QStringLiteral("counter-wait-p50"), latest, 1, 1);
    addTile(tr("Queue wait p95"), QStringLiteral("counter-wait-p95"), latest, 1, 2);
    addTile(tr("Run time p50"), QStringLiteral("counter-run-p50"), latest, 1, 3);
    addTile(tr("Run time p95"), QStringLiteral("counter-run-p95"), latest, 1, 4);
    m_drain = addTile(tr("Time to drain"), QStringLiteral("drain-estimate"),
                      tr("Pending and retrying tasks at the finishing rate of the last %n second(s)", nullptr,
                         DrainRateSamples),
                      1, 5);
    layout->addLayout(m_tiles);

    auto* header = new QHBoxLayout;
    auto* history = new QLabel(tr("History"), this);
    QFont headerFont = history->font();
    headerFont.setWeight(QFont::DemiBold);
    history->setFont(headerFont);
    header->addWidget(history);
    header->addStretch(1);
    auto* windowLabel = new QLabel(tr("&Window:"), this);
    m_window = new QComboBox(this);
    m_window->setObjectName(QStringLiteral("window"));
    for (const int seconds : WindowChoices)
        m_window->addItem(seconds < 3600 ? tr("%n min", nullptr, seconds / 60)
                                         : tr("%n h", nullptr, seconds / 3600),
                          seconds);
    m_window->setCurrentIndex(0);
    windowLabel->setBuddy(m_window);
    header->addWidget(windowLabel);
    header->addWidget(m_window);
    layout->addLayout(header);

    auto* body = new QHBoxLayout;
    body->setSpacing(8);
    auto* charts = new QGridLayout;
    charts->setSpacing(8);
    m_throughput = new StatsChart(tr("Throughput (tasks/s)"), QColor(0x2e, 0x9e, 0x5b), this);
    m_throughput->setObjectName(QStringLiteral("chart-throughput"));
    m_failures = new StatsChart(tr("Failures (attempts/s)"), QColor(0xd6, 0x45, 0x45), this);
    m_failures->setObjectName(QStringLiteral("chart-failures"));
    m_pending = new StatsChart(tr("Pending"), QColor(0xd9, 0x8c, 0x1a), this);
    m_pending->setObjectName(QStringLiteral("chart-pending"));
    m_pending->setIntegral(true);
    m_workers = new StatsChart(tr("Active workers"), QColor(0x3b, 0x7d, 0xd8), this);
    m_workers->setObjectName(QStringLiteral("chart-workers"));
    m_workers->setIntegral(true);
    charts->addWidget(m_throughput, 0, 0);
    charts->addWidget(m_failures, 0, 1);
    charts->addWidget(m_pending, 1, 0);
    charts->addWidget(m_workers, 1, 1);
    body->addLayout(charts, 1);
    body->addWidget(buildPriorityPanel());
    layout->addLayout(body, 1);

    connect(m_window, &QComboBox::currentIndexChanged, this,
            [this](int index) { setWindowSeconds(m_window->itemData(index).toInt()); });
    // The pool samples once a second whatever the load; per-task signals would not scale.
    // A hidden page catches up when it is shown.
    connect(&m_pool, &WorkerPool::statsSampled, this, [this] {
        if (isVisible())
            refresh();
    });
    applyPalette();
}

QLabel* DashboardPage::addTile(const QString& caption, const QString& objectName, const QString& toolTip,
                               int row, int column)
{
    auto* tile = new Card(this);
    m_tiles->addWidget(tile, row, column);
    tile->setToolTip(toolTip);
    auto* layout = new QVBoxLayout(tile);
    layout->setContentsMargins(12, 8, 12, 10);
    layout->setSpacing(2);

    auto* captionLabel = new QLabel(caption, tile);
    QFont captionFont = captionLabel->font();
    captionFont.setPointSizeF(captionFont.pointSizeF() * 0.9);
    captionLabel->setFont(captionFont);
    m_captions.append(captionLabel);

    auto* value = new QLabel(QStringLiteral("—"), tile);
    value->setObjectName(objectName);
    value->setAccessibleName(caption);
    value->setForegroundRole(QPalette::Text);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont valueFont = value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.6);
    valueFont.setWeight(QFont::DemiBold);
    value->setFont(valueFont);
    captionLabel->setBuddy(value);

    layout->addWidget(captionLabel);
    layout->addWidget(value);
    m_counters.insert(objectName, value);
    return value;
}

QWidget* DashboardPage::buildPriorityPanel()
{
    auto* panel = new Card(this);
    panel->setFixedWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 34);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(10, 8, 10, 10);
    layout->setSpacing(6);

    auto* title = new QLabel(tr("Pending by priority"), panel);
    QFont titleFont = title->font();
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    title->setForegroundRole(QPalette::Text);
    title->setAlignment(Qt::AlignHCenter);
    layout->addWidget(title);

    m_priorityModel = new PriorityModel(this);
    m_priorities = new QTableView(panel);
    m_priorities->setObjectName(QStringLiteral("pending-by-priority"));
    m_priorities->setModel(m_priorityModel);
    m_priorities->verticalHeader()->hide();
    // Fixed sizes: measuring contents would visit every row on every sample.
    m_priorities->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_priorities->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView* columns = m_priorities->horizontalHeader();
    columns->setSectionResizeMode(0, QHeaderView::Fixed);
    columns->resizeSection(0, fontMetrics().horizontalAdvance(tr("Priority")) + 24);
    columns->setSectionResizeMode(1, QHeaderView::Stretch);
    columns->setHighlightSections(false);
    m_priorities->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_priorities->setSelectionMode(QAbstractItemView::NoSelection);
    m_priorities->setFocusPolicy(Qt::NoFocus);
    m_priorities->setShowGrid(false);
    m_priorities->setFrameShape(QFrame::NoFrame);
    m_priorities->setWordWrap(false);
    m_priorities->setItemDelegateForColumn(1, new BarDelegate(m_priorities));
    layout->addWidget(m_priorities, 1);

    m_nothingPending = new QLabel(tr("Nothing pending"), panel);
    m_nothingPending->setAlignment(Qt::AlignCenter);
    m_captions.append(m_nothingPending);
    layout->addWidget(m_nothingPending);
    layout->addStretch(0);
    return panel;
}

void DashboardPage::setWindowSeconds(int seconds)
{
    seconds = std::max(1, seconds);
    if (seconds == m_windowSeconds)
        return;
    m_windowSeconds = seconds;
    if (const int index = m_window->findData(seconds); index >= 0)
        m_window->setCurrentIndex(index);
    emit windowSecondsChanged(seconds);
    if (isVisible())
        refresh();
}

void DashboardPage::setHistory(const StatsHistory* history)
{
    m_history = history;
    if (isVisible())
        refresh();
}

const StatsHistory& DashboardPage::history() const
{
    return m_history ? *m_history : m_pool.history();
}

void DashboardPage::refresh()
{
    QElapsedTimer timer;
    timer.start();

    const StatsHistory& history = this->history();
    const qint64 toMs = history.isEmpty() ? QDateTime::currentMSecsSinceEpoch() : history.latest().atMs;
    const qint64 fromMs = toMs - qint64{m_windowSeconds} * 1000;
    int first = history.size();
    while (first > 0 && history.at(first - 1).atMs > fromMs)
        --first;

    QList<QPointF> throughput;
    QList<QPointF> failures;
    QList<QPointF> pending;
    QList<QPointF> workers;
    const qsizetype count = history.size() - first;
    throughput.reserve(count);
    failures.reserve(count);
    pending.reserve(count);
    workers.reserve(count);
    int poolSize = 0;
    for (int i = first; i < history.size(); ++i) {
        const StatsSample& s = history.at(i);
        const auto x = static_cast<double>(s.atMs);
        throughput.append({x, s.finishedPerSec});
        failures.append({x, s.failedPerSec});
        pending.append({x, static_cast<double>(s.pending)});
        workers.append({x, static_cast<double>(s.activeWorkers)});
        poolSize = std::max(poolSize, s.workers);
    }
    m_throughput->setPoints(throughput, fromMs, toMs);
    m_failures->setPoints(failures, fromMs, toMs);
    m_pending->setPoints(pending, fromMs, toMs);
    m_workers->setMinimumCeiling(poolSize);
    m_workers->setPoints(workers, fromMs, toMs);

    refreshCounters();
    refreshPriorities();
    emit refreshed(timer.nsecsElapsed());
}

void DashboardPage::refreshCounters()
{
    const StatsHistory& history = this->history();
    if (history.isEmpty())
        return;
    const StatsSample& latest = history.latest();
    m_counters.value(QStringLiteral("counter-pending"))->setText(formatCount(latest.pending));
    m_counters.value(QStringLiteral("counter-running"))->setText(formatCount(latest.running));
    m_counters.value(QStringLiteral("counter-retrying"))->setText(formatCount(latest.retrying));
    m_counters.value(QStringLiteral("counter-succeeded"))->setText(formatCount(latest.succeeded));
    m_counters.value(QStringLiteral("counter-failed"))->setText(formatCount(latest.failed));
    m_counters.value(QStringLiteral("counter-cancelled"))->setText(formatCount(latest.cancelled));
    m_counters.value(QStringLiteral("counter-workers"))->setText(formatCount(latest.workers));

    // A quiet second has no latencies; the last second that had some is what a person wants to
    // see, as long as it is still on the chart.
    const qint64 fromMs = latest.atMs - qint64{m_windowSeconds} * 1000;
    const StatsSample* timed = nullptr;
    for (int i = history.size() - 1; i >= 0 && history.at(i).atMs > fromMs; --i) {
        const StatsSample& s = history.at(i);
        if (s.finishedPerSec > 0 || s.failedPerSec > 0) {
            timed = &s;
            break;
        }
    }
    const auto latency = [timed](qint64 StatsSample::*field) {
        return timed ? formatMicros(timed->*field) : QStringLiteral("—");
    };
    m_counters.value(QStringLiteral("counter-wait-p50"))->setText(latency(&StatsSample::waitP50Us));
    m_counters.value(QStringLiteral("counter-wait-p95"))->setText(latency(&StatsSample::waitP95Us));
    m_counters.value(QStringLiteral("counter-run-p50"))->setText(latency(&StatsSample::runP50Us));
    m_counters.value(QStringLiteral("counter-run-p95"))->setText(latency(&StatsSample::runP95Us));

    const qint64 remaining = latest.pending + latest.retrying;
    const QList<StatsSample> recent = history.last(DrainRateSamples);
    double rate = 0;
    for (const StatsSample& s : recent)
        rate += s.finishedPerSec;
    rate /= static_cast<double>(recent.size());
    if (remaining == 0)
        m_drain->setText(QStringLiteral("—"));
    else if (rate <= 0 || m_pool.isPaused())
        m_drain->setText(tr("not draining"));
    else
        m_drain->setText(formatSeconds(static_cast<double>(remaining) / rate));
}

void DashboardPage::refreshPriorities()
{
    m_priorityModel->setLevels(m_pool.pendingByPriority());
    const bool empty = m_priorityModel->rowCount() == 0;
    m_priorities->setVisible(!empty);
    m_nothingPending->setVisible(empty);
}

void DashboardPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh();
}

void DashboardPage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void DashboardPage::applyPalette()
{
    // Captions are quieter than the numbers but stay readable on light and dark bases alike.
    const QColor muted = mix(palette().color(QPalette::Base), palette().color(QPalette::Text), 0.62);
    for (QLabel* caption : std::as_const(m_captions)) {
        QPalette pal = caption->palette();
        pal.setColor(QPalette::WindowText, muted);
        caption->setPalette(pal);
    }
}

} // namespace workdeck
