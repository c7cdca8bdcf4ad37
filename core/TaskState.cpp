#include "TaskState.h"

#include <array>

namespace workdeck {

namespace {
constexpr std::array<QStringView, TaskStateCount> names{u"pending",   u"running", u"retrying",
                                                        u"succeeded", u"failed",  u"cancelled"};
constexpr std::array<QByteArrayView, TaskStateCount> utf8Names{"pending",   "running", "retrying",
                                                               "succeeded", "failed",  "cancelled"};
} // namespace

QString stateName(TaskState state)
{
    return names[static_cast<std::size_t>(state)].toString();
}

QByteArrayView stateNameUtf8(TaskState state)
{
    return utf8Names[static_cast<std::size_t>(state)];
}

std::optional<TaskState> taskStateFromString(QStringView text)
{
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == text)
            return static_cast<TaskState>(i);
    }
    return std::nullopt;
}

} // namespace workdeck
