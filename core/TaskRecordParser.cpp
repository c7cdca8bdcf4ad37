#include "TaskRecordParser.h"

#include "JsonFields.h"

namespace workdeck {

namespace {
const QString kindField = QStringLiteral("kind");
const QString priorityField = QStringLiteral("priority");
const QString retriesField = QStringLiteral("max_retries");
const QString timeoutField = QStringLiteral("timeout_ms");
const QString userField = QStringLiteral("user");
const QStringList commonFields{kindField, priorityField, retriesField, timeoutField, userField};
} // namespace

TaskRecordParser::TaskRecordParser(const KindRegistry& kinds, UserLookup users)
    : m_kinds(kinds)
    , m_users(std::move(users))
{
    for (int i = 0; i < m_kinds.size(); ++i)
        m_kindFields.push_back(m_kinds.at(i).parameterNames());
}

QStringList TaskRecordParser::fieldNames() const
{
    QStringList names = commonFields;
    for (const QStringList& fields : m_kindFields) {
        for (const QString& field : fields) {
            if (!names.contains(field))
                names.append(field);
        }
    }
    return names;
}

QJsonValue::Type TaskRecordParser::fieldType(const QString& name) const
{
    if (name == priorityField || name == retriesField || name == timeoutField)
        return QJsonValue::Double;
    for (int i = 0; i < m_kinds.size(); ++i) {
        if (m_kindFields[static_cast<std::size_t>(i)].contains(name))
            return m_kinds.at(i).parameterType(name);
    }
    return QJsonValue::String;
}

std::optional<TaskSpec> TaskRecordParser::parse(const QJsonObject& record, QStringList& problems)
{
    return parse(TaskRecord::fromJson(record), problems);
}

std::optional<TaskSpec> TaskRecordParser::parse(const TaskRecord& record, QStringList& problems)
{
    const qsizetype before = problems.size();
    TaskSpec spec;
    const auto kindName = JsonFields::string(record.find(kindField), kindField, false);
    if (!kindName) {
        problems.append(kindName.error().message);
        return std::nullopt; // without a kind, its parameters cannot be told from typos
    }
    const QString name = kindName->isEmpty() ? QStringLiteral("simulate") : *kindName;
    spec.kind = m_kinds.indexOf(name);
    if (spec.kind < 0) {
        problems.append(u"kind: unknown kind \"" + name + u"\" (known kinds: " + m_kinds.names().join(u", ") +
                        u')');
        return std::nullopt;
    }
    const TaskKind& kind = m_kinds.at(spec.kind);

    const auto priority = JsonFields::integer(record.find(priorityField), priorityField, 0, 255, 0);
    if (priority)
        spec.priority = static_cast<int>(*priority);
    else
        problems.append(priority.error().message);
    const auto retries = JsonFields::integer(record.find(retriesField), retriesField, 0, 255, 0);
    if (retries)
        spec.maxRetries = static_cast<int>(*retries);
    else
        problems.append(retries.error().message);
    const auto timeout = JsonFields::integer(record.find(timeoutField), timeoutField, 1,
                                             TaskSpec::MaxTimeoutMs, m_defaultTimeoutMs);
    if (timeout)
        spec.timeoutMs = *timeout;
    else
        problems.append(timeout.error().message);
    const auto email = JsonFields::string(record.find(userField), userField, false);
    if (!email) {
        problems.append(email.error().message);
    } else if (!email->isEmpty()) {
        const auto id = m_users ? m_users(*email) : std::nullopt;
        if (id)
            spec.userId = *id;
        else
            problems.append(u"user: no user has the e-mail address " + *email + u"; add the user first");
    }

    const QStringList& kindFields = m_kindFields[static_cast<std::size_t>(spec.kind)];
    ParamsKey key{spec.kind, spec.priority, {}};
    for (const auto& [field, value] : record.fields) {
        if (kindFields.contains(field))
            key.params.emplace_back(field, value);
        else if (!commonFields.contains(field))
            problems.append(field + u": unknown field for a " + name + u" task (its fields: " +
                            (commonFields + kindFields).join(u", ") + u')');
    }
    if (const auto shared = m_shared.constFind(key); shared != m_shared.constEnd()) {
        spec.params = *shared;
    } else {
        QJsonObject params;
        for (const auto& [field, value] : key.params)
            params.insert(field, value);
        auto parsed = kind.parseParams(params, spec.priority);
        if (!parsed) {
            problems.append(parsed.error().message);
        } else {
            spec.params = *parsed;
            if (m_shared.size() >= MaxShared)
                m_shared.clear(); // a batch of all-different parameters: sharing gains nothing
            m_shared.insert(std::move(key), spec.params);
        }
    }
    if (problems.size() != before)
        return std::nullopt;
    return spec;
}

} // namespace workdeck
