#include "HistoryBatchTable.h"

#include "SqliteStatement.h"

#include <sqlite3.h>

namespace workdeck {

namespace {

enum Column { Id, State, Attempts, StartedAt, FinishedAt, HasResult, Output, ErrorText };

struct Table : sqlite3_vtab {
    const HistoryBatchTable* batch = nullptr;
};

struct Cursor : sqlite3_vtab_cursor {
    std::size_t row = 0;
};

const HistoryBatchTable& batchOf(sqlite3_vtab_cursor* cursor)
{
    return *static_cast<Table*>(cursor->pVtab)->batch;
}

int connect(sqlite3* db, void* batch, int, const char* const*, sqlite3_vtab** table, char**)
{
    const int code = sqlite3_declare_vtab(db, "CREATE TABLE x(id INTEGER, state TEXT, attempts INTEGER, "
                                              "started_at INTEGER, finished_at INTEGER, has_result INTEGER, "
                                              "output TEXT, error TEXT)");
    if (code != SQLITE_OK)
        return code;
    auto* created = new Table{};
    created->batch = static_cast<const HistoryBatchTable*>(batch);
    *table = created;
    return SQLITE_OK;
}

int disconnect(sqlite3_vtab* table)
{
    delete static_cast<Table*>(table);
    return SQLITE_OK;
}

int bestIndex(sqlite3_vtab*, sqlite3_index_info* info)
{
    // The statement is planned once, while the batch is empty, so the size is a typical
    // batch's. No constraint is taken: the batch is read from start to end, and the task rows
    // are found from it by id.
    info->estimatedRows = 1000;
    info->estimatedCost = 1000;
    return SQLITE_OK;
}

int open(sqlite3_vtab*, sqlite3_vtab_cursor** cursor)
{
    *cursor = new Cursor{};
    return SQLITE_OK;
}

int close(sqlite3_vtab_cursor* cursor)
{
    delete static_cast<Cursor*>(cursor);
    return SQLITE_OK;
}

int filter(sqlite3_vtab_cursor* cursor, int, const char*, int, sqlite3_value**)
{
    static_cast<Cursor*>(cursor)->row = 0;
    return SQLITE_OK;
}

int next(sqlite3_vtab_cursor* cursor)
{
    ++static_cast<Cursor*>(cursor)->row;
    return SQLITE_OK;
}

int eof(sqlite3_vtab_cursor* cursor)
{
    return static_cast<Cursor*>(cursor)->row >= batchOf(cursor).rows().size() ? 1 : 0;
}

void resultText(sqlite3_context* context, const HistoryBatchTable& batch, qsizetype offset, qsizetype size)
{
    if (offset < 0)
        sqlite3_result_null(context);
    else // the buffer stays as it is until the statement has run
        sqlite3_result_text(context, batch.text(offset), static_cast<int>(size), SQLITE_STATIC);
}

void resultTime(sqlite3_context* context, qint64 ms)
{
    if (ms < 0)
        sqlite3_result_null(context);
    else
        sqlite3_result_int64(context, ms);
}

int column(sqlite3_vtab_cursor* cursor, sqlite3_context* context, int index)
{
    const HistoryBatchTable& batch = batchOf(cursor);
    const HistoryBatchTable::Row& row = batch.rows()[static_cast<Cursor*>(cursor)->row];
    switch (index) {
    case Id:
        sqlite3_result_int64(context, static_cast<sqlite3_int64>(row.id));
        break;
    case State: {
        const QByteArrayView name = stateNameUtf8(row.state);
        sqlite3_result_text(context, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        break;
    }
    case Attempts:
        sqlite3_result_int64(context, row.attempts);
        break;
    case StartedAt:
        resultTime(context, row.startedAtMs);
        break;
    case FinishedAt:
        resultTime(context, row.finishedAtMs);
        break;
    case HasResult:
        sqlite3_result_int(context, row.hasResult ? 1 : 0);
        break;
    case Output:
        resultText(context, batch, row.output, row.outputSize);
        break;
    case ErrorText:
        resultText(context, batch, row.error, row.errorSize);
        break;
    default:
        sqlite3_result_null(context);
    }
    return SQLITE_OK;
}

int rowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* id)
{
    *id = static_cast<sqlite3_int64>(static_cast<Cursor*>(cursor)->row);
    return SQLITE_OK;
}

const sqlite3_module& module()
{
    static const sqlite3_module definition = [] {
        sqlite3_module m{};
        m.iVersion = 0;
        m.xCreate = nullptr; // eponymous only: it exists on the connection without CREATE
        m.xConnect = connect;
        m.xBestIndex = bestIndex;
        m.xDisconnect = disconnect;
        m.xDestroy = disconnect;
        m.xOpen = open;
        m.xClose = close;
        m.xFilter = filter;
        m.xNext = next;
        m.xEof = eof;
        m.xColumn = column;
        m.xRowid = rowid;
        return m;
    }();
    return definition;
}

} // namespace

Result<std::unique_ptr<HistoryBatchTable>> HistoryBatchTable::install(sqlite3* db)
{
    std::unique_ptr<HistoryBatchTable> table(new HistoryBatchTable);
    const int code = sqlite3_create_module_v2(db, Name, &module(), table.get(), nullptr);
    if (code != SQLITE_OK)
        return Error{sqliteProblem(db, code)};
    return table;
}

void HistoryBatchTable::clear(std::size_t rows)
{
    m_rows.clear();
    m_rows.reserve(rows);
    m_text.clear(); // keeps its capacity
    m_lastOutput.clear();
    m_lastOutputAt = -1;
}

void HistoryBatchTable::append(Row row, const QString& output, const QString& error)
{
    if (output.isEmpty() || output != m_lastOutput) {
        m_lastOutputAt = store(output, m_lastOutputSize);
        m_lastOutput = output;
    }
    row.output = m_lastOutputAt;
    row.outputSize = m_lastOutputSize;
    row.error = store(error, row.errorSize);
    m_rows.push_back(row);
}

qsizetype HistoryBatchTable::store(const QString& value, qsizetype& size)
{
    size = 0;
    if (value.isEmpty())
        return -1;
    const qsizetype offset = m_text.size();
    m_text.resize(offset + value.size() * 3);
    char* end = m_utf8.appendToBuffer(m_text.data() + offset, value);
    size = end - (m_text.constData() + offset);
    m_text.resize(offset + size);
    return offset;
}

} // namespace workdeck
