#pragma once

#include "UserValidator.h"

#include <QList>

class QSettings;

namespace workdeck {

/// The settings a person can change (SPEC S4): worker count, retry backoff and the default
/// timeout of new tasks. Stored with QSettings; values that are missing or invalid in the
/// stored file fall back to their defaults.
struct AppSettings {
    int workers = 0;
    qint64 backoffBaseMs = 0;
    qint64 backoffCapMs = 0;
    qint64 defaultTimeoutMs = 0;
};

} // namespace workdeck
