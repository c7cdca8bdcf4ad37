#pragma once

#include "TaskKind.h"
#include "TaskState.h"

namespace workdeck {

/// A task as submitted to the pool: what to run and how hard to try (SPEC S2).
struct TaskSpec {
    static constexpr qint64 DefaultTimeoutMs = 10'000;
    static constexpr qint64 MaxTimeoutMs = 86'400'000;

    TaskId id = 0; ///< 0: the pool assigns the next free id
    int kind = 0;  ///< index in the pool's KindRegistry
    int priority = 0;
    int maxRetries = 0;
    int attempts = 0; ///< attempts already made (a task recovered after a crash keeps them)
    qint64 timeoutMs = DefaultTimeoutMs;
    ParamsPtr params;
    QString userId; ///< the submitting user's id, or empty; kept by the database, not the pool
};

} // namespace workdeck
