#include "Logging.h"

// Quiet by default; QT_LOGGING_RULES="workdeck.*=true" turns them on.
Q_LOGGING_CATEGORY(lcEngine, "workdeck.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStorage, "workdeck.storage", QtWarningMsg)
Q_LOGGING_CATEGORY(lcBatch, "workdeck.batch", QtWarningMsg)
