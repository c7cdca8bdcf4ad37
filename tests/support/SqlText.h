#pragma once

#include "Database.h"

#include <QSqlQuery>

namespace workdeck::test {

/// The first column of the first row of `sql` as text, or "<no row>": compact assertions on
/// what a store wrote.
inline QString sqlText(Database& db, const QString& sql)
{
    QSqlQuery q = db.query();
    if (!q.exec(sql) || !q.next())
        return QStringLiteral("<no row>");
    return q.value(0).toString();
}

} // namespace workdeck::test
