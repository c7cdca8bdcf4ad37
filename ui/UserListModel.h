#pragma once

#include "TaskState.h"
#include "UserStore.h"

#include <QAbstractTableModel>
#include <QList>

#include <array>
#include <optional>

namespace workdeck {

/// The users, newest first, read a page at a time as the view scrolls (keyset paging), with
/// how many tasks each submitted, by state.
class UserListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Email, Added, Active, Succeeded, Failed, Cancelled, ColumnCount };

    explicit UserListModel(UserStore& users, QObject* parent = nullptr);

    /// Starts again from the newest user (after one was added or changed).
    void reload();
    /// Shows the users whose e-mail or name has words starting with those of `text`.
    void setSearch(const QString& text);
    const QString& search() const { return m_search; }
    const User& user(int row) const { return m_rows.at(row).user; }
    /// The user's tasks by state, as of the last read.
    const std::array<qint64, TaskStateCount>& taskCounts(int row) const { return m_rows.at(row).tasks; }
    /// Why the last read failed, or empty.
    const QString& problem() const { return m_problem; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

private:
    struct Row {
        User user;
        std::array<qint64, TaskStateCount> tasks{};
    };

    UserStore& m_users;
    QString m_search;
    QList<Row> m_rows;
    std::optional<UserCursor> m_next;
    bool m_atEnd = false;
    QString m_problem;
};

} // namespace workdeck
