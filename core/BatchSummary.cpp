#include "BatchSummary.h"

#include <algorithm>

namespace workdeck {

void BatchSummary::add(const TaskSpec& spec, const KindRegistry& kinds)
{
    ++m_tasks;
    if (spec.kind != m_lastKind) {
        m_lastKind = spec.kind;
        m_lastKindCount = &m_byKind[kinds.at(spec.kind).name()];
    }
    ++*m_lastKindCount;
    ++m_byPriority[spec.priority];
    if (spec.params && spec.params.get() != m_lastParams) {
        m_lastParams = spec.params.get();
        if (QString program = m_lastParams->externalProgram(); !program.isEmpty())
            m_programs.insert(std::move(program));
    }
}

QStringList BatchSummary::programs() const
{
    QStringList sorted(m_programs.begin(), m_programs.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

QString BatchSummary::text() const
{
    QStringList kinds;
    for (auto it = m_byKind.begin(); it != m_byKind.end(); ++it)
        kinds.append(QString::number(it.value()) + u' ' + it.key());
    QString text = QString::number(m_tasks) + (m_tasks == 1 ? u" task: " : u" tasks: ") + kinds.join(u", ");
    QStringList priorities;
    // Highest first, the order they run in.
    for (auto it = m_byPriority.end(); it != m_byPriority.begin();) {
        --it;
        priorities.append(QString::number(it.value()) + u" at " + QString::number(it.key()));
    }
    text += u"\nBy priority: " + priorities.join(u", ");
    if (runsCommands())
        text += u"\nPrograms run: " + programs().join(u", ");
    return text;
}

} // namespace workdeck
