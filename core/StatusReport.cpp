#include "StatusReport.h"

#include "KindRegistry.h"
#include "TaskStore.h"
#include "UserStore.h"

namespace workdeck {

Result<QByteArray> statusJson(Database& db)
{
    const auto users = UserStore(db).count();
    if (!users)
        return users.error();
    // Counting needs no kinds.
    const KindRegistry none;
    const auto tasks = TaskStore(db, none).countByState();
    if (!tasks)
        return tasks.error();
    QByteArray json = "{\"users\":" + QByteArray::number(*users);
    for (int state = 0; state < TaskStateCount; ++state)
        json += ",\"" + stateName(static_cast<TaskState>(state)).toUtf8() +
                "\":" + QByteArray::number((*tasks)[static_cast<std::size_t>(state)]);
    json += '}';
    return json;
}

} // namespace workdeck
