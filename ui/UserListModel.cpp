#include "UserListModel.h"

#include <QDateTime>
#include <QLocale>

namespace workdeck {

namespace {

qint64 count(const std::array<qint64, TaskStateCount>& tasks, TaskState state)
{
    return tasks[static_cast<std::size_t>(state)];
}

} // namespace

UserListModel::UserListModel(UserStore& users, QObject* parent)
    : QAbstractTableModel(parent)
    , m_users(users)
{
}

void UserListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_next.reset();
    m_atEnd = false;
    m_problem.clear();
    endResetModel();
    fetchMore({});
}

void UserListModel::setSearch(const QString& text)
{
    m_search = text;
    reload();
}

bool UserListModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void UserListModel::fetchMore(const QModelIndex& parent)
{
    if (parent.isValid() || m_atEnd)
        return;
    UserQuery query;
    query.search = m_search;
    query.after = m_next;
    query.pageSize = UserQuery::MaxPageSize;
    auto page = m_users.page(query);
    if (!page) {
        m_problem = page.error().message;
        m_atEnd = true; // a failing read is not retried on every scroll
        return;
    }
    m_problem.clear();
    m_next = page->next;
    m_atEnd = !m_next;
    if (page->users.isEmpty())
        return;
    QStringList ids;
    for (const User& user : page->users)
        ids.append(user.id);
    const auto counts = m_users.taskCounts(ids);
    if (!counts)
        m_problem = counts.error().message;
    const auto first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(page->users.size()) - 1);
    for (const User& user : page->users)
        m_rows.append(Row{user, counts ? counts->value(user.id) : std::array<qint64, TaskStateCount>{}});
    endInsertRows();
}

int UserListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int UserListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::TextAlignmentRole && column >= Active)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const User& u = row.user;
    const QLocale locale;
    switch (column) {
    case Name:
        return u.name;
    case Email:
        return u.email;
    case Added:
        return locale.toString(QDateTime::fromMSecsSinceEpoch(u.createdAtMs), QLocale::ShortFormat);
    case Active:
        return locale.toString(count(row.tasks, TaskState::Pending) + count(row.tasks, TaskState::Running) +
                               count(row.tasks, TaskState::Retrying));
    case Succeeded:
        return locale.toString(count(row.tasks, TaskState::Succeeded));
    case Failed:
        return locale.toString(count(row.tasks, TaskState::Failed));
    case Cancelled:
        return locale.toString(count(row.tasks, TaskState::Cancelled));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == Active)
        return tr("Pending, running and retrying tasks");
    if (role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case Name:
        return tr("Name");
    case Email:
        return tr("E-mail");
    case Added:
        return tr("Added");
    case Active:
        return tr("Active");
    case Succeeded:
        return tr("Succeeded");
    case Failed:
        return tr("Failed");
    case Cancelled:
        return tr("Cancelled");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace workdeck
