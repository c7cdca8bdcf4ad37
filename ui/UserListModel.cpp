#include "UserListModel.h"

#include <QDateTime>
#include <QLocale>

namespace workdeck {

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
    endResetModel();
    fetchMore({});
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
    const auto first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(page->users.size()) - 1);
    m_rows.append(page->users);
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
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        role != Qt::DisplayRole)
        return {};
    const User& u = m_rows.at(index.row());
    switch (static_cast<Column>(index.column())) {
    case Name:
        return u.name;
    case Email:
        return u.email;
    case Added:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(u.createdAtMs), QLocale::ShortFormat);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case Name:
        return tr("Name");
    case Email:
        return tr("E-mail");
    case Added:
        return tr("Added");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace workdeck
