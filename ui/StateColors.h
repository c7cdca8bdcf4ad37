#pragma once

#include "TaskState.h"

#include <QColor>

namespace workdeck {

/// The colour of each task state, chosen to read on light and dark palettes alike.
class StateColors {
public:
    static QColor color(TaskState state);
};

} // namespace workdeck
