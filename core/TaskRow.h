#pragma once

#include "TaskState.h"

#include <QString>

namespace workdeck {

/// One task as the history shows it: what it is, where it is and how it went.
struct TaskRow {
    TaskId id = 0;
    QString kind;
    TaskState state = TaskState::Pending;
    int priority = 0;
    int attempts = 0;
    int maxRetries = 0;
    QString userEmail; ///< empty when nobody submitted it
    qint64 createdAtMs = 0;
    qint64 startedAtMs = -1; ///< -1 when it has not started
    qint64 finishedAtMs = -1;
    QString error;
};

} // namespace workdeck
