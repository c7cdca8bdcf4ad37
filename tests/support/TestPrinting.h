#pragma once

#include "TaskState.h"

#include <QTest>

#include <optional>

namespace workdeck {

// Lets QCOMPARE print task states (found by argument-dependent lookup).
inline char* toString(TaskState state)
{
    return QTest::toString(stateName(state));
}

inline char* toString(const std::optional<TaskState>& state)
{
    return state ? toString(*state) : qstrdup("(none)");
}

} // namespace workdeck
