#pragma once

#include "KindRegistry.h"
#include "TaskSpec.h"

#include <QMap>
#include <QSet>
#include <QString>

namespace workdeck {

/// What a batch holds, shown before it is queued (SPEC S3): how many tasks, by kind and by
/// priority, and the distinct programs its command tasks run.
class BatchSummary {
public:
    void add(const TaskSpec& spec, const KindRegistry& kinds);

    qint64 tasks() const { return m_tasks; }
    /// Tasks per kind name.
    const QMap<QString, qint64>& byKind() const { return m_byKind; }
    /// Tasks per priority.
    const QMap<int, qint64>& byPriority() const { return m_byPriority; }
    /// The distinct programs of command tasks, sorted.
    QStringList programs() const;
    bool runsCommands() const { return !m_programs.isEmpty(); }

    /// A few lines for a person: "3 tasks: 2 simulate, 1 command", the priorities, the programs.
    QString text() const;

private:
    qint64 m_tasks = 0;
    QMap<QString, qint64> m_byKind;
    QMap<int, qint64> m_byPriority;
    QSet<QString> m_programs;
    // Consecutive tasks mostly share their kind and parameters: look each up once.
    int m_lastKind = -1;
    qint64* m_lastKindCount = nullptr;
    const KindParams* m_lastParams = nullptr;
};

} // namespace workdeck
