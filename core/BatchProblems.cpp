#include "BatchProblems.h"

namespace workdeck {

void BatchProblems::add(qint64 line, const QString& problem)
{
    ++m_count;
    if (m_shown.size() < MaxShown)
        m_shown.append(u"line " + QString::number(line) + u": " + problem);
}

void BatchProblems::add(qint64 line, const QString& field, const QString& problem)
{
    add(line, field.isEmpty() ? problem : field + u": " + problem);
}

Error BatchProblems::error() const
{
    QString text = m_shown.join(QLatin1Char('\n'));
    if (m_count > m_shown.size())
        text += u"\n… and " + QString::number(m_count - m_shown.size()) + u" more problem(s)";
    return Error{text, true};
}

} // namespace workdeck
