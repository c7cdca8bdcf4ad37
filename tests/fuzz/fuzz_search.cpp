// libFuzzer target: the search box (SPEC S1, S4). Whatever a person types, ftsQuery() must make
// an FTS5 query that SQLite accepts, so no text is ever a syntax error or FTS syntax.
#include "FtsQuery.h"

#include <sqlite3.h>

#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

sqlite3_stmt* searchStatement()
{
    static sqlite3* db = [] {
        sqlite3* opened = nullptr;
        if (sqlite3_open(":memory:", &opened) != SQLITE_OK ||
            sqlite3_exec(opened,
                         "CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='unicode61 remove_diacritics 2');"
                         "INSERT INTO t VALUES ('simulated by worker 2', 'disk quota exceeded');",
                         nullptr, nullptr, nullptr) != SQLITE_OK)
            std::abort();
        return opened;
    }();
    static sqlite3_stmt* statement = [] {
        sqlite3_stmt* prepared = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &prepared, nullptr) !=
            SQLITE_OK)
            std::abort();
        return prepared;
    }();
    return statement;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString text =
        QString::fromUtf8(QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)));
    const QString query = workdeck::ftsQuery(text);
    if (query.isEmpty())
        return 0; // no words: the search is simply not applied
    sqlite3_stmt* statement = searchStatement();
    const QByteArray utf8 = query.toUtf8();
    sqlite3_bind_text(statement, 1, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
    int step = SQLITE_ROW;
    while (step == SQLITE_ROW)
        step = sqlite3_step(statement);
    if (step != SQLITE_DONE) {
        std::fprintf(stderr, "query rejected: %s\n", sqlite3_errmsg(sqlite3_db_handle(statement)));
        std::abort();
    }
    sqlite3_reset(statement);
    return 0;
}
