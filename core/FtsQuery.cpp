#include "FtsQuery.h"

#include <QStringList>

namespace workdeck {

QString ftsQuery(const QString& text)
{
    // FTS5 ends a query at a NUL, and SQLite's UTF-16 decoder pairs a lone surrogate with the
    // closing quote: such characters become word breaks.
    QString cleaned = text;
    for (qsizetype i = 0; i < cleaned.size(); ++i) {
        if (cleaned[i].isHighSurrogate() && i + 1 < cleaned.size() && cleaned[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        if (cleaned[i].isSurrogate() || cleaned[i].category() == QChar::Other_Control)
            cleaned[i] = QLatin1Char(' ');
    }
    QStringList terms;
    for (const QString& word : cleaned.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        QString quoted = word;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms.append(u'"' + quoted + u"\"*");
    }
    return terms.join(QLatin1Char(' '));
}

} // namespace workdeck
