#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <utility>
#include <vector>

namespace workdeck {

/// One task as a batch file or a form gives it: its fields in the order they came. A flat
/// list rather than a QJsonObject, because a million records would otherwise build a million
/// sorted maps only to read five fields from each.
struct TaskRecord {
    std::vector<std::pair<QString, QJsonValue>> fields;

    /// The field's value, or nullptr when the record does not have it.
    const QJsonValue* find(const QString& name) const
    {
        for (const auto& [key, value] : fields) {
            if (key == name)
                return &value;
        }
        return nullptr;
    }
    bool contains(const QString& name) const { return find(name) != nullptr; }

    static TaskRecord fromJson(const QJsonObject& object)
    {
        TaskRecord record;
        record.fields.reserve(static_cast<std::size_t>(object.size()));
        for (auto it = object.begin(); it != object.end(); ++it)
            record.fields.emplace_back(it.key(), it.value());
        return record;
    }
};

} // namespace workdeck
