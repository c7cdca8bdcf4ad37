#pragma once

#include "TaskState.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace workdeck {

/// One state change of one task, delivered to observers in batches.
struct TaskEvent {
    TaskId id = 0;
    TaskState state = TaskState::Pending;
    int attempts = 0;
    int worker = 0;          ///< 1-based worker of a running or finished attempt, else 0
    qint64 atMs = 0;         ///< wall clock, UTC milliseconds
    qint64 startedAtMs = -1; ///< when the attempt started (running and finished attempts), else -1
    qint64 runMs = -1;       ///< duration of the attempt that just ended, else -1
    QString output;          ///< tail of the attempt's output, when one ended
    QString error;           ///< why the attempt failed, when it did
};

} // namespace workdeck

Q_DECLARE_TYPEINFO(workdeck::TaskEvent, Q_RELOCATABLE_TYPE);
Q_DECLARE_METATYPE(workdeck::TaskEvent)
