#pragma once

#include "TaskEvent.h"
#include "TaskRow.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace workdeck {

class TaskStore;

/// The newest tasks of the history, kept current from the pool's batched state changes.
class TaskListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Id,
        Kind,
        State,
        Priority,
        Attempts,
        User,
        Created,
        Started,
        Finished,
        Duration,
        Error,
        ColumnCount
    };
    static constexpr int DefaultLimit = 1000;

    explicit TaskListModel(TaskStore& tasks, QObject* parent = nullptr);

    /// Reads the newest tasks again (after new ones were stored).
    void reload();
    /// Applies a batch of state changes to the tasks shown.
    void apply(const QList<workdeck::TaskEvent>& events);
    const TaskRow& row(int index) const { return m_rows.at(index); }
    /// The row showing a task, or -1.
    int rowOf(TaskId id) const { return m_rowOf.value(id, -1); }
    /// Why the last reload failed, or empty.
    const QString& problem() const { return m_problem; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    TaskStore& m_tasks;
    QList<TaskRow> m_rows;
    QHash<TaskId, int> m_rowOf;
    QString m_problem;
};

} // namespace workdeck
