#include "TaskListModel.h"

#include "StateColors.h"
#include "TaskStore.h"

#include <QDateTime>
#include <QLocale>

namespace workdeck {

namespace {

QString timeText(qint64 ms)
{
    if (ms < 0)
        return {};
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms);
    // Today's times need no date; older ones do.
    if (at.date() == QDate::currentDate())
        return QLocale().toString(at.time(), QStringLiteral("HH:mm:ss"));
    return QLocale().toString(at, QLocale::ShortFormat);
}

QString durationText(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60);
}

} // namespace

TaskListModel::TaskListModel(TaskStore& tasks, QObject* parent)
    : QAbstractTableModel(parent)
    , m_tasks(tasks)
{
}

void TaskListModel::reload()
{
    auto rows = m_tasks.latest(DefaultLimit);
    beginResetModel();
    m_rowOf.clear();
    if (rows) {
        m_rows = std::move(*rows);
        m_problem.clear();
    } else {
        m_rows.clear();
        m_problem = rows.error().message;
    }
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows[i].id, i);
    endResetModel();
}

void TaskListModel::apply(const QList<TaskEvent>& events)
{
    int first = INT_MAX;
    int last = -1;
    for (const TaskEvent& event : events) {
        const int index = rowOf(event.id);
        if (index < 0)
            continue;
        TaskRow& r = m_rows[index];
        r.state = event.state;
        r.attempts = event.attempts;
        if (event.startedAtMs >= 0)
            r.startedAtMs = event.startedAtMs;
        if (isTerminal(event.state) || event.state == TaskState::Retrying) {
            r.finishedAtMs = event.atMs;
            r.error = event.error;
        } else if (event.state == TaskState::Pending) {
            r.finishedAtMs = -1; // back in the queue (re-queued)
            r.error.clear();
        }
        first = std::min(first, index);
        last = std::max(last, index);
    }
    if (last >= 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int TaskListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TaskListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TaskRow& r = m_rows.at(index.row());
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Id:
            return QVariant::fromValue(r.id);
        case Kind:
            return r.kind;
        case State:
            return stateName(r.state);
        case Priority:
            return r.priority;
        case Attempts:
            return QStringLiteral("%1 of %2").arg(r.attempts).arg(r.maxRetries + 1);
        case User:
            return r.userEmail;
        case Created:
            return timeText(r.createdAtMs);
        case Started:
            return timeText(r.startedAtMs);
        case Finished:
            return isTerminal(r.state) ? timeText(r.finishedAtMs) : QString();
        case Duration:
            return isTerminal(r.state) && r.startedAtMs >= 0 && r.finishedAtMs >= r.startedAtMs
                       ? durationText(r.finishedAtMs - r.startedAtMs)
                       : QString();
        case Error:
            return r.error.section(u'\n', 0, 0); // the first line; the detail pane shows all
        case ColumnCount:
            break;
        }
    } else if (role == Qt::DecorationRole && column == State) {
        return StateColors::color(r.state);
    } else if (role == Qt::ToolTipRole && column == Error && !r.error.isEmpty()) {
        return r.error;
    } else if (role == Qt::TextAlignmentRole) {
        if (column == Id || column == Priority || column == Duration)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant TaskListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case Id:
        return tr("ID");
    case Kind:
        return tr("Kind");
    case State:
        return tr("State");
    case Priority:
        return tr("Priority");
    case Attempts:
        return tr("Attempts");
    case User:
        return tr("User");
    case Created:
        return tr("Created");
    case Started:
        return tr("Started");
    case Finished:
        return tr("Finished");
    case Duration:
        return tr("Duration");
    case Error:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace workdeck
