#include "TaskListModel.h"

#include "HistoryWriter.h"
#include "StateColors.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

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

TaskListModel::TaskListModel(Database& db, const HistoryWriter* history, QObject* parent)
    : QAbstractTableModel(parent)
    , m_browser(db)
    , m_history(history)
{
    m_textIndex.insert(QString(), 0);
}

quint32 TaskListModel::intern(const QString& text)
{
    if (text.isEmpty())
        return 0;
    auto found = m_textIndex.constFind(text);
    if (found != m_textIndex.constEnd())
        return *found;
    const auto index = static_cast<quint32>(m_texts.size());
    m_texts.append(text);
    m_textIndex.insert(text, index);
    return index;
}

TaskListModel::Row TaskListModel::compact(const TaskRow& r)
{
    Row row;
    row.id = r.id;
    row.createdAtMs = r.createdAtMs;
    row.startedAtMs = r.startedAtMs;
    row.finishedAtMs = r.finishedAtMs;
    row.error = intern(r.error);
    row.user = intern(r.userEmail);
    row.kind = static_cast<quint16>(intern(r.kind));
    row.attempts = static_cast<quint16>(r.attempts);
    row.maxRetries = static_cast<quint16>(r.maxRetries);
    row.priority = static_cast<quint8>(r.priority);
    row.state = r.state;
    return row;
}

TaskRow TaskListModel::row(int index) const
{
    const Row& r = m_rows.at(index);
    TaskRow row;
    row.id = r.id;
    row.kind = text(r.kind);
    row.state = r.state;
    row.priority = r.priority;
    row.attempts = r.attempts;
    row.maxRetries = r.maxRetries;
    row.userEmail = text(r.user);
    row.createdAtMs = r.createdAtMs;
    row.startedAtMs = r.startedAtMs;
    row.finishedAtMs = r.finishedAtMs;
    row.error = text(r.error);
    return row;
}

int TaskListModel::rowOf(TaskId id) const
{
    if (!byId())
        return m_rowOf.value(id, -1);
    const bool descending = m_sort.descending;
    const auto before = [descending](const Row& r, TaskId key) {
        return descending ? r.id > key : r.id < key;
    };
    const auto found = std::lower_bound(m_rows.cbegin(), m_rows.cend(), id, before);
    return found != m_rows.cend() && found->id == id ? static_cast<int>(found - m_rows.cbegin()) : -1;
}

void TaskListModel::setFilter(const TaskFilter& filter)
{
    m_filter = filter;
    reload();
}

void TaskListModel::reload()
{
    auto page = m_browser.page(m_filter, m_sort, std::nullopt, PageSize);
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_texts = QStringList{QString()};
    m_textIndex.clear();
    m_textIndex.insert(QString(), 0);
    m_next.reset();
    m_more = false;
    if (page) {
        m_problem.clear();
        append(*page);
        catchUp(0);
    } else {
        m_problem = page.error().message;
    }
    endResetModel();
    emit reloaded();
}

void TaskListModel::append(const QList<TaskRow>& rows)
{
    // No reserve(): an exact reservation per page would copy the whole list every page.
    for (const TaskRow& r : rows) {
        if (!byId())
            m_rowOf.insert(r.id, static_cast<int>(m_rows.size()));
        m_rows.append(compact(r));
    }
    m_more = rows.size() == PageSize;
    if (!rows.isEmpty())
        m_next = TaskBrowser::cursorAfter(rows.last(), m_sort);
}

bool TaskListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_more;
}

void TaskListModel::fetchMore(const QModelIndex& parent)
{
    if (parent.isValid() || !m_more)
        return;
    auto page = m_browser.page(m_filter, m_sort, m_next, PageSize);
    if (!page) {
        m_problem = page.error().message;
        m_more = false;
        return;
    }
    if (page->isEmpty()) {
        m_more = false;
        return;
    }
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(page->size()) - 1);
    append(*page);
    catchUp(first);
    endInsertRows();
}

void TaskListModel::addNewer()
{
    if (!byId() || !m_sort.descending) {
        return;
    }
    const TaskId top = m_rows.isEmpty() ? 0 : m_rows.first().id;
    auto rows = m_browser.newer(m_filter, top, MaxNewRows + 1);
    if (!rows || rows->isEmpty())
        return;
    if (rows->size() > MaxNewRows) {
        reload();
        return;
    }
    QList<Row> fresh;
    fresh.reserve(rows->size());
    for (const TaskRow& r : *rows)
        fresh.append(compact(r));
    beginInsertRows({}, 0, static_cast<int>(fresh.size()) - 1);
    m_rows.insert(0, fresh.size(), Row{});
    std::copy(fresh.cbegin(), fresh.cend(), m_rows.begin());
    if (m_rows.size() == fresh.size())
        m_next = TaskBrowser::cursorAfter(rows->last(), m_sort);
    catchUp(0);
    endInsertRows();
}

void TaskListModel::update(Row& r, const TaskEvent& event, quint32 error)
{
    r.state = event.state;
    r.attempts = static_cast<quint16>(event.attempts);
    if (event.startedAtMs >= 0)
        r.startedAtMs = event.startedAtMs;
    if (isTerminal(event.state) || event.state == TaskState::Retrying) {
        r.finishedAtMs = event.atMs;
        r.error = error;
    } else if (event.state == TaskState::Pending) {
        r.finishedAtMs = -1; // back in the queue (retried)
        r.error = 0;
    }
}

void TaskListModel::apply(const QList<TaskEvent>& events)
{
    if (m_history) {
        // The history writer was handed these changes just before; remember them until it has
        // saved them, for rows read from the database meanwhile.
        forgetSaved();
        qint64 sequence = m_history->posted() - events.size();
        for (const TaskEvent& event : events)
            m_unsaved.push_back({++sequence, event});
        while (m_unsaved.size() > MaxUnsaved)
            m_unsaved.pop_front();
    }
    int first = INT_MAX;
    int last = -1;
    bool newer = false;
    const TaskId top = m_rows.isEmpty() ? 0 : m_rows.first().id;
    for (const TaskEvent& event : events) {
        const int index = rowOf(event.id);
        if (index < 0) {
            newer = newer || event.id > top;
            continue;
        }
        update(m_rows[index], event, intern(event.error));
        first = std::min(first, index);
        last = std::max(last, index);
    }
    if (last >= 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (newer)
        emit newerAvailable();
}

void TaskListModel::forgetSaved()
{
    const qint64 saved = m_history->committed();
    while (!m_unsaved.empty() && m_unsaved.front().sequence <= saved)
        m_unsaved.pop_front();
}

void TaskListModel::catchUp(int first)
{
    if (!m_history)
        return;
    forgetSaved();
    for (const Unsaved& change : m_unsaved) {
        const int index = rowOf(change.event.id);
        if (index >= first)
            update(m_rows[index], change.event, intern(change.event.error));
    }
}

std::optional<TaskSort::Key> TaskListModel::sortKey(int column)
{
    switch (column) {
    case Id:
    case Created:
        return TaskSort::Id;
    case Priority:
        return TaskSort::Priority;
    case Attempts:
        return TaskSort::Attempts;
    case Started:
        return TaskSort::Started;
    case Finished:
        return TaskSort::Finished;
    case Duration:
        return TaskSort::Duration;
    default:
        return std::nullopt;
    }
}

void TaskListModel::sort(int column, Qt::SortOrder order)
{
    const auto key = sortKey(column);
    if (!key)
        return;
    const TaskSort sort{*key, order == Qt::DescendingOrder};
    if (sort == m_sort)
        return;
    m_sort = sort;
    reload();
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
    const Row& r = m_rows.at(index.row());
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Id:
            return QVariant::fromValue(r.id);
        case Kind:
            return text(r.kind);
        case State:
            return stateName(r.state);
        case Priority:
            return r.priority;
        case Attempts:
            return QStringLiteral("%1 of %2").arg(r.attempts).arg(r.maxRetries + 1);
        case User:
            return text(r.user);
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
            return text(r.error).section(u'\n', 0, 0); // the first line; the detail pane shows all
        case ColumnCount:
            break;
        }
    } else if (role == Qt::DecorationRole && column == State) {
        return StateColors::color(r.state);
    } else if (role == Qt::ToolTipRole && column == Error && r.error != 0) {
        return text(r.error);
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
