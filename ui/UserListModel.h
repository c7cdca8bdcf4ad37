#pragma once

#include "UserStore.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace workdeck {

/// The users, newest first, read a page at a time as the view scrolls (keyset paging).
class UserListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Email, Added, ColumnCount };

    explicit UserListModel(UserStore& users, QObject* parent = nullptr);

    /// Starts again from the newest user (after one was added or changed).
    void reload();
    const User& user(int row) const { return m_rows.at(row); }
    /// Why the last read failed, or empty.
    const QString& problem() const { return m_problem; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

private:
    UserStore& m_users;
    QList<User> m_rows;
    std::optional<UserCursor> m_next;
    bool m_atEnd = false;
    QString m_problem;
};

} // namespace workdeck
