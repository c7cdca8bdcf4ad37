#include "TaskState.h"

#include <array>

namespace workdeck {

namespace {
constexpr std::array<QStringView, TaskStateCount> names{u"pending",   u"running", u"retrying",
                                                        u"succeeded", u"failed",  u"cancelled"};
}

QString stateName(TaskState state)
{
    return names[static_cast<std::size_t>(state)].toString();
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
