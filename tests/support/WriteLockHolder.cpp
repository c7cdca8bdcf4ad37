#include "WriteLockHolder.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUuid>

namespace workdeck::test {

WriteLockHolder::WriteLockHolder(const QString& path)
    : m_connection(u"write-lock-" + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    m_held = db.open() && QSqlQuery(db).exec(QStringLiteral("BEGIN IMMEDIATE"));
}

WriteLockHolder::~WriteLockHolder()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (m_held)
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

} // namespace workdeck::test
