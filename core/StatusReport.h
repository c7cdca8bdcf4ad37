#pragma once

#include "Result.h"

#include <QByteArray>

namespace workdeck {

class Database;

/// `workdeck --status` (SPEC S5): the number of users and of tasks in each state, as one
/// JSON line `{"users":N,"pending":N,"running":N,"retrying":N,"succeeded":N,"failed":N,"cancelled":N}`.
Result<QByteArray> statusJson(Database& db);

} // namespace workdeck
