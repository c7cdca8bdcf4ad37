#pragma once

#include "TaskKind.h"
#include "TaskState.h"

#include <QTest>

#include <optional>

namespace workdeck {

// Lets QCOMPARE print task states (found by argument-dependent lookup).
inline char* toString(TaskState state)
{
    return QTest::toString(stateName(state));
}

inline char* toString(AttemptOutcome::Status status)
{
    switch (status) {
    case AttemptOutcome::Status::Succeeded:
        return qstrdup("Succeeded");
    case AttemptOutcome::Status::Failed:
        return qstrdup("Failed");
    case AttemptOutcome::Status::Stopped:
        return qstrdup("Stopped");
    }
    return qstrdup("(invalid)");
}

inline char* toString(const std::optional<TaskState>& state)
{
    return state ? toString(*state) : qstrdup("(none)");
}

} // namespace workdeck
