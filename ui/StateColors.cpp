#include "StateColors.h"

namespace workdeck {

QColor StateColors::color(TaskState state)
{
    switch (state) {
    case TaskState::Pending:
        return QColor(0x8a, 0x8f, 0x98);
    case TaskState::Running:
        return QColor(0x2f, 0x80, 0xed);
    case TaskState::Retrying:
        return QColor(0xe0, 0x9b, 0x12);
    case TaskState::Succeeded:
        return QColor(0x2e, 0xa0, 0x4f);
    case TaskState::Failed:
        return QColor(0xd9, 0x3f, 0x3f);
    case TaskState::Cancelled:
        return QColor(0x7b, 0x61, 0xc4);
    }
    return {};
}

} // namespace workdeck
