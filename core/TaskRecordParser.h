#pragma once

#include "KindRegistry.h"
#include "TaskSpec.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace workdeck {

/// Turns one task record — a line of a batch file, or what a form collected — into a
/// TaskSpec (SPEC S2/S3 fields: kind, priority, max_retries, timeout_ms, user and the kind's
/// parameters at the top level).
class TaskRecordParser {
public:
    /// The id of the user with this e-mail address, if there is one.
    using UserLookup = std::function<std::optional<QString>(const QString& email)>;

    TaskRecordParser(const KindRegistry& kinds, UserLookup users);

    /// The spec, or nothing with every problem appended to `problems` as "field: problem".
    /// Consecutive records with equal parameters share one parameter object.
    std::optional<TaskSpec> parse(const QJsonObject& record, QStringList& problems);

    /// Every field a record may hold: the common ones, then each kind's parameters.
    QStringList fieldNames() const;
    /// The JSON type a field holds; formats without types (CSV) convert their text to it.
    QJsonValue::Type fieldType(const QString& name) const;

private:
    const KindRegistry& m_kinds;
    UserLookup m_users;
    std::vector<QStringList> m_kindFields; // per kind index
    // The last parameters parsed, for sharing.
    int m_lastKind = -1;
    int m_lastPriority = -1;
    QJsonObject m_lastParams;
    ParamsPtr m_lastParsed;
};

} // namespace workdeck
