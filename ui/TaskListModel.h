#pragma once

#include "TaskBrowser.h"
#include "TaskEvent.h"
#include "TaskFilter.h"
#include "TaskRow.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>

#include <deque>
#include <optional>

namespace workdeck {

class Database;
class HistoryWriter;

/// The task history as a table: the tasks of a filter in a chosen order, read a page at a time
/// as the view scrolls (keyset queries, never OFFSET), kept current from the pool's batched
/// state changes. Rows are compact (about 56 bytes, texts shared) so that scrolling through
/// millions of tasks stays within memory.
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
    static constexpr int PageSize = 1000;
    /// More new tasks than this since the last look and the list starts again from the top.
    static constexpr int MaxNewRows = PageSize;

    /// `history`, when given, is the writer the pool's changes reach the database through:
    /// rows read before it has saved the changes already applied are brought up to date.
    explicit TaskListModel(Database& db, const HistoryWriter* history = nullptr, QObject* parent = nullptr);

    const TaskFilter& filter() const { return m_filter; }
    const TaskSort& order() const { return m_sort; }
    /// Shows the tasks of `filter` from the top.
    void setFilter(const TaskFilter& filter);
    /// Reads the first page again.
    void reload();
    /// Adds the tasks stored since the list was read, at the top, when the order is newest
    /// first; other orders are left as they are until reloaded.
    void addNewer();
    /// Applies a batch of state changes to the tasks shown; changes of tasks newer than the list
    /// are announced by newerAvailable().
    void apply(const QList<workdeck::TaskEvent>& events);
    TaskRow row(int index) const;
    TaskId idAt(int index) const { return m_rows.at(index).id; }
    /// The row showing a task, or -1.
    int rowOf(TaskId id) const;
    /// Why the last read failed, or empty.
    const QString& problem() const { return m_problem; }
    /// Whether every matching task has been read.
    bool atEnd() const { return !m_more; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    /// Sorts by ID, priority, attempts, started, finished or duration; other columns keep the
    /// current order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    /// The sort key a column sorts by, or nothing for columns that cannot be sorted.
    static std::optional<TaskSort::Key> sortKey(int column);

signals:
    /// After every read: what the filter shows now.
    void reloaded();
    /// apply() saw changes of tasks newer than the first row: addNewer() would show them.
    void newerAvailable();

private:
    struct Row {
        TaskId id = 0;
        qint64 createdAtMs = 0;
        qint64 startedAtMs = -1;
        qint64 finishedAtMs = -1;
        quint32 error = 0; ///< index in m_texts; 0 is the empty text
        quint32 user = 0;
        quint16 kind = 0;
        quint16 attempts = 0;
        quint16 maxRetries = 0;
        quint8 priority = 0;
        TaskState state = TaskState::Pending;
    };

    Row compact(const TaskRow& row);
    quint32 intern(const QString& text);
    const QString& text(quint32 index) const { return m_texts.at(index); }
    /// Whether rows are kept by id order, so that a row can be found by binary search.
    bool byId() const { return m_sort.key == TaskSort::Id; }
    void append(const QList<TaskRow>& rows);
    static void update(Row& row, const TaskEvent& event, quint32 error);
    /// Applies the changes the history has not saved yet to the rows from `first` on, which
    /// were just read from the database.
    void catchUp(int first);
    void forgetSaved();

    /// A change applied to the model that may not be in the database yet.
    struct Unsaved {
        qint64 sequence = 0; ///< its place among the changes posted to the history writer
        TaskEvent event;
    };
    /// Beyond this many unsaved changes (a history that cannot write) the oldest are forgotten.
    static constexpr std::size_t MaxUnsaved = 1 << 18;

    TaskBrowser m_browser;
    const HistoryWriter* m_history;
    std::deque<Unsaved> m_unsaved;
    TaskFilter m_filter;
    TaskSort m_sort;
    QList<Row> m_rows;
    QHash<TaskId, int> m_rowOf; ///< only for orders other than by id
    QStringList m_texts{QString()};
    QHash<QString, quint32> m_textIndex;
    std::optional<TaskCursor> m_next;
    bool m_more = false;
    QString m_problem;
};

} // namespace workdeck
