#pragma once

#include "TaskRow.h"

#include <QList>
#include <QString>

namespace workdeck {

/// One attempt of a task, as the history keeps it.
struct AttemptRow {
    int attempt = 0;
    int worker = 0;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    TaskState state = TaskState::Failed; ///< how the attempt ended: retrying, failed, cancelled, succeeded
    QString error;
};

/// Everything the history knows about one task: the row, its parameters, every attempt, the
/// output tail and the error.
struct TaskDetail {
    TaskRow row;
    QString uuid;
    QString userName;
    QString params; ///< the kind's parameters as JSON text
    qint64 timeoutMs = 0;
    QString output;
    QList<AttemptRow> attempts; ///< oldest first
};

} // namespace workdeck
