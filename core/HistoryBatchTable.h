#pragma once

#include "Result.h"
#include "TaskState.h"

#include <QByteArray>
#include <QStringEncoder>

#include <memory>
#include <vector>

struct sqlite3;

namespace workdeck {

/// The rows of one batch of the history writer, seen by SQLite as a read-only table named
/// `workdeck_history_batch` on one connection (an eponymous virtual table), so that a batch
/// updates its tasks with one statement instead of one statement per task.
///
/// One statement walks the batch and the task rows together, where a statement per task
/// starts again from the root of the table and of its index every time (UpdateSql). Columns:
/// id, state, attempts, started_at and finished_at (NULL when not known), has_result, output
/// and error (NULL when empty).
class HistoryBatchTable {
public:
    static constexpr const char* Name = "workdeck_history_batch";
    /// Applies the rows to their tasks. A row that only reports a start (has_result 0) keeps
    /// the task's last output and error; one without a start time keeps the stored one.
    static constexpr const char* UpdateSql =
        "UPDATE task_status SET state = b.state, attempts = b.attempts, "
        "started_at = coalesce(b.started_at, task_status.started_at), finished_at = b.finished_at, "
        "output = CASE WHEN b.has_result THEN b.output ELSE task_status.output END, "
        "error = CASE WHEN b.has_result THEN b.error ELSE task_status.error END "
        "FROM workdeck_history_batch AS b WHERE task_status.id = b.id";

    struct Row {
        TaskId id = 0;
        TaskState state = TaskState::Pending;
        qint64 attempts = 0;
        qint64 startedAtMs = -1;  ///< -1: NULL
        qint64 finishedAtMs = -1; ///< -1: NULL
        bool hasResult = false;
        qsizetype output = -1; ///< offset in the text buffer, -1: NULL
        qsizetype outputSize = 0;
        qsizetype error = -1;
        qsizetype errorSize = 0;
    };

    /// Makes the table known to `db`; the object must outlive every statement that reads it.
    static Result<std::unique_ptr<HistoryBatchTable>> install(sqlite3* db);
    HistoryBatchTable(const HistoryBatchTable&) = delete;
    HistoryBatchTable& operator=(const HistoryBatchTable&) = delete;

    /// Empties the table for a batch of up to `rows` rows.
    void clear(std::size_t rows);
    /// Adds a row; `output` and `error` are stored as UTF-8, empty ones as NULL.
    void append(Row row, const QString& output, const QString& error);
    const std::vector<Row>& rows() const { return m_rows; }
    /// The UTF-8 text of a row's column at `offset`, `size` bytes long.
    const char* text(qsizetype offset) const { return m_text.constData() + offset; }

private:
    HistoryBatchTable() = default;
    /// Appends `value` to the text buffer; returns its offset, or -1 when it is empty.
    qsizetype store(const QString& value, qsizetype& size);

    std::vector<Row> m_rows;
    QByteArray m_text;
    // The output stored last, and where: rows of a batch often say the same.
    QString m_lastOutput;
    qsizetype m_lastOutputAt = -1;
    qsizetype m_lastOutputSize = 0;
    QStringEncoder m_utf8{QStringEncoder::Utf8};
};

} // namespace workdeck
