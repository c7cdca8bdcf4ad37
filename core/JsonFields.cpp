#include "JsonFields.h"

#include <QJsonArray>
#include <QLocale>

#include <cmath>

namespace workdeck::JsonFields {

namespace {

QString typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String: {
        // Quoting the text shows what was wrong: "5" is a string, 5 would be a number.
        constexpr qsizetype shown = 40;
        const QString text = value.toString();
        return u"the text \"" + (text.size() > shown ? text.left(shown) + u'…' : text) + u'"';
    }
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

Error fieldError(const QString& field, const QString& problem)
{
    return Error{field + u": " + problem};
}

} // namespace

Result<qint64> integer(const QJsonObject& object, const QString& field, qint64 min, qint64 max,
                       std::optional<qint64> fallback)
{
    const auto it = object.constFind(field);
    if (it == object.constEnd())
        return integer(nullptr, field, min, max, fallback);
    const QJsonValue value = *it;
    return integer(&value, field, min, max, fallback);
}

Result<qint64> integer(const QJsonValue* found, const QString& field, qint64 min, qint64 max,
                       std::optional<qint64> fallback)
{
    if (!found && fallback)
        return *fallback;
    if (found && found->isDouble()) {
        // The common case first, without building the message.
        const double number = found->toDouble();
        if (std::isfinite(number) && std::trunc(number) == number && number >= static_cast<double>(min) &&
            number <= static_cast<double>(max))
            return static_cast<qint64>(number);
    }
    const QString expected =
        u"must be an integer from " + QString::number(min) + u" to " + QString::number(max);
    if (!found)
        return fieldError(field, QStringLiteral("is required (") + expected + u')');
    const QJsonValue& value = *found;
    if (value.isDouble()) {
        const double number = value.toDouble();
        return fieldError(field, expected + u", not " +
                                     QString::number(number, 'g', QLocale::FloatingPointShortest));
    }
    return fieldError(field, expected + u", not " + typeName(value));
}

Result<QString> string(const QJsonObject& object, const QString& field, bool required)
{
    const auto it = object.constFind(field);
    if (it == object.constEnd())
        return string(nullptr, field, required);
    const QJsonValue value = *it;
    return string(&value, field, required);
}

Result<QString> string(const QJsonValue* value, const QString& field, bool required)
{
    if (!value) {
        if (required)
            return fieldError(field, QStringLiteral("is required"));
        return QString();
    }
    if (!value->isString())
        return fieldError(field, u"must be a string, not " + typeName(*value));
    QString text = value->toString();
    if (required && text.isEmpty())
        return fieldError(field, QStringLiteral("must not be empty"));
    if (text.contains(QChar(0)))
        return fieldError(field, QStringLiteral("must not contain NUL characters"));
    return text;
}

Result<QStringList> stringArray(const QJsonObject& object, const QString& field)
{
    const auto it = object.constFind(field);
    if (it == object.constEnd())
        return QStringList();
    if (!it->isArray())
        return fieldError(field, u"must be an array of strings, not " + typeName(*it));
    const QJsonArray array = it->toArray();
    QStringList result;
    result.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue element = array.at(i);
        if (!element.isString())
            return fieldError(field, u"element " + QString::number(i) + u" must be a string, not " +
                                         typeName(element));
        if (element.toString().contains(QChar(0)))
            return fieldError(field, u"element " + QString::number(i) + u" must not contain NUL characters");
        result.append(element.toString());
    }
    return result;
}

Result<QList<QPair<QString, QString>>> stringMap(const QJsonObject& object, const QString& field)
{
    const auto it = object.constFind(field);
    QList<QPair<QString, QString>> result;
    if (it == object.constEnd())
        return result;
    if (!it->isObject())
        return fieldError(field, u"must be an object of strings, not " + typeName(*it));
    const QJsonObject map = it->toObject();
    for (auto entry = map.begin(); entry != map.end(); ++entry) {
        if (entry.key().isEmpty() || entry.key().contains(u'=') || entry.key().contains(QChar(0)))
            return fieldError(field, u"\"" + entry.key() + u"\" is not a valid variable name");
        if (!entry.value().isString())
            return fieldError(field,
                              u"\"" + entry.key() + u"\" must be a string, not " + typeName(entry.value()));
        result.append({entry.key(), entry.value().toString()});
    }
    return result;
}

Result<void> rejectUnknown(const QJsonObject& object, const QStringList& allowed)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key()))
            return fieldError(it.key(), QStringLiteral("unknown field"));
    }
    return {};
}

} // namespace workdeck::JsonFields
