#pragma once

#include "KindRegistry.h"
#include "TaskRecord.h"
#include "TaskSpec.h"

#include <QHash>
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
    /// Records with equal parameters share one parameter object.
    std::optional<TaskSpec> parse(const TaskRecord& record, QStringList& problems);
    std::optional<TaskSpec> parse(const QJsonObject& record, QStringList& problems);
    /// The timeout of records that name none (TaskSpec::DefaultTimeoutMs unless changed).
    void setDefaultTimeoutMs(qint64 timeoutMs) { m_defaultTimeoutMs = timeoutMs; }

    /// Every field a record may hold: the common ones, then each kind's parameters.
    QStringList fieldNames() const;
    /// The JSON type a field holds; formats without types (CSV) convert their text to it.
    QJsonValue::Type fieldType(const QString& name) const;

private:
    const KindRegistry& m_kinds;
    UserLookup m_users;
    qint64 m_defaultTimeoutMs = TaskSpec::DefaultTimeoutMs;
    std::vector<QStringList> m_kindFields; // per kind index
    // Recently parsed parameters, so that tasks with equal ones share one object (a batch
    // of a million tasks usually has a handful of distinct parameter sets).
    struct ParamsKey {
        int kind;
        int priority;                                       // some defaults depend on it
        std::vector<std::pair<QString, QJsonValue>> params; // in record order
        bool operator==(const ParamsKey& other) const = default;
        friend size_t qHash(const ParamsKey& key, size_t seed = 0)
        {
            seed = qHashMulti(seed, key.kind, key.priority);
            for (const auto& [field, value] : key.params)
                seed = qHashMulti(seed, field, value);
            return seed;
        }
    };
    static constexpr qsizetype MaxShared = 4096;
    QHash<ParamsKey, ParamsPtr> m_shared;
};

} // namespace workdeck
