#pragma once

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <optional>

namespace workdeck {

/// Where a task is in its life (SPEC S2).
enum class TaskState : std::uint8_t { Pending, Running, Retrying, Succeeded, Failed, Cancelled };

inline constexpr int TaskStateCount = 6;

QString stateName(TaskState state);
/// The same name in UTF-8 (the database's encoding), without a conversion per call.
QByteArrayView stateNameUtf8(TaskState state);
std::optional<TaskState> taskStateFromString(QStringView text);

/// True for the states a task can never leave on its own.
constexpr bool isTerminal(TaskState state)
{
    return state == TaskState::Succeeded || state == TaskState::Failed || state == TaskState::Cancelled;
}

using TaskId = std::uint64_t;

} // namespace workdeck
