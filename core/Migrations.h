#pragma once

#include "Result.h"

namespace workdeck {

class Database;

/// The schema's history: step N turns a version N-1 database into version N. A database
/// records its version in `PRAGMA user_version`.
namespace Migrations {

/// The newest version this build knows.
int latest();
/// Applies the missing steps up to `target` (the latest by default), each in its own
/// transaction together with the new user_version.
Result<void> apply(Database& db, int target = -1);

} // namespace Migrations

} // namespace workdeck
