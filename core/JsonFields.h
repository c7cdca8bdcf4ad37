#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace workdeck::JsonFields {

/// Every reader returns `field: problem` messages, the way batch files and forms report them.

/// An integer in [min, max]; `fallback` when the field is absent. Rejects strings, fractions,
/// non-finite numbers and anything out of range.
Result<qint64> integer(const QJsonObject& object, const QString& field, qint64 min, qint64 max,
                       std::optional<qint64> fallback);
/// The same for a value already looked up; nullptr means the field is absent.
Result<qint64> integer(const QJsonValue* value, const QString& field, qint64 min, qint64 max,
                       std::optional<qint64> fallback);
/// A non-empty string when `required`; an empty QString when absent and not required.
Result<QString> string(const QJsonObject& object, const QString& field, bool required);
/// The same for a value already looked up; nullptr means the field is absent.
Result<QString> string(const QJsonValue* value, const QString& field, bool required);
/// An array whose elements are all strings; empty when absent.
Result<QStringList> stringArray(const QJsonObject& object, const QString& field);
/// An object whose values are all strings, in key order; empty when absent.
Result<QList<QPair<QString, QString>>> stringMap(const QJsonObject& object, const QString& field);
/// Fails on the first key of `object` that is not in `allowed`.
Result<void> rejectUnknown(const QJsonObject& object, const QStringList& allowed);

} // namespace workdeck::JsonFields
