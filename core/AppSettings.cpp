#include "AppSettings.h"

#include <QMetaType>
#include <QSettings>
#include <QVariant>

#include <algorithm>
#include <limits>
#include <variant>

namespace workdeck {

namespace {

constexpr QStringView Group = u"engine";
constexpr QStringView WorkersKey = u"workers";
constexpr QStringView BackoffBaseKey = u"backoff_base_ms";
constexpr QStringView BackoffCapKey = u"backoff_cap_ms";
constexpr QStringView DefaultTimeoutKey = u"default_timeout_ms";

struct Range {
    qint64 min;
    qint64 max;

    bool contains(qint64 value) const { return value >= min && value <= max; }
};

constexpr Range WorkersRange{1, AppSettings::MaxWorkers};
constexpr Range BackoffRange{0, AppSettings::MaxBackoffMs};
constexpr Range TimeoutRange{1, TaskSpec::MaxTimeoutMs};

QString rangeMessage(Range range)
{
    return u"must be an integer from " + QString::number(range.min) + u" to " + QString::number(range.max);
}

// A hand-edited value can be any length; the message only needs enough to find it in the file.
QString elided(const QString& text)
{
    constexpr qsizetype Shown = 40;
    return text.size() <= Shown ? text : QString(text.left(Shown) + u'…');
}

QString quoted(const QString& text)
{
    return u'"' + elided(text) + u'"';
}

QString typeDescription(const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::QStringList:
        return QStringLiteral("a list"); // what an unquoted comma in an INI value turns into
    case QMetaType::QByteArray:
        return QStringLiteral("binary data");
    default:
        return u"a value of type " + QString::fromLatin1(value.metaType().name());
    }
}

// The stored value as an integer, or how to describe what was stored instead. Only plain
// decimal digits count: QString::toLongLong() would also take " 4" and "+4", and a double
// conversion would take "1e3", none of which a person meant as a worker count.
std::variant<qint64, QString> toInteger(const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
        return value.toLongLong();
    case QMetaType::ULongLong: {
        const qulonglong number = value.toULongLong();
        if (number > static_cast<qulonglong>(std::numeric_limits<qint64>::max()))
            return QString::number(number);
        return static_cast<qint64>(number);
    }
    case QMetaType::QString: {
        const QString text = value.toString();
        QStringView digits = text;
        if (digits.startsWith(u'-'))
            digits = digits.sliced(1);
        const bool decimal = !digits.isEmpty() && std::all_of(digits.begin(), digits.end(),
                                                              [](QChar c) { return c >= u'0' && c <= u'9'; });
        if (!decimal)
            return quoted(text);
        bool ok = false;
        const qint64 number = text.toLongLong(&ok);
        if (!ok)
            return elided(text); // digits, but beyond 64 bits
        return number;
    }
    default:
        return typeDescription(value);
    }
}

// Reads one key of the current group into `target`. True when a valid value was stored.
template <typename T>
bool readInteger(QSettings& settings, QStringView key, Range range, T& target, QStringList& problems)
{
    const QVariant stored = settings.value(key);
    if (!stored.isValid())
        return false;
    const std::variant<qint64, QString> number = toInteger(stored);
    QString instead;
    if (const qint64* value = std::get_if<qint64>(&number)) {
        if (range.contains(*value)) {
            target = static_cast<T>(*value);
            return true;
        }
        instead = QString::number(*value);
    } else {
        instead = std::get<QString>(number);
    }
    problems.append(key + u": " + rangeMessage(range) + u", not " + instead);
    return false;
}

} // namespace

AppSettings AppSettings::defaults()
{
    return AppSettings{};
}

AppSettings AppSettings::load(QSettings& settings, QStringList* problems)
{
    AppSettings result;
    QStringList found;
    settings.beginGroup(Group);
    readInteger(settings, WorkersKey, WorkersRange, result.workers, found);
    const bool baseStored = readInteger(settings, BackoffBaseKey, BackoffRange, result.backoffBaseMs, found);
    const bool capStored = readInteger(settings, BackoffCapKey, BackoffRange, result.backoffCapMs, found);
    readInteger(settings, DefaultTimeoutKey, TimeoutRange, result.defaultTimeoutMs, found);
    settings.endGroup();

    if (result.backoffCapMs < result.backoffBaseMs) {
        // The defaults are consistent, so at least one of the two came from the file: name that
        // one. Which of them is the typo is anyone's guess, so the pair falls back together.
        if (capStored) {
            found.append(BackoffCapKey + u": must be at least " + BackoffBaseKey + u" (" +
                         QString::number(result.backoffBaseMs) + u"), not " +
                         QString::number(result.backoffCapMs));
        } else {
            Q_ASSERT(baseStored);
            found.append(BackoffBaseKey + u": must be at most " + BackoffCapKey + u" (" +
                         QString::number(result.backoffCapMs) + u"), not " +
                         QString::number(result.backoffBaseMs));
        }
        const AppSettings fallback;
        result.backoffBaseMs = fallback.backoffBaseMs;
        result.backoffCapMs = fallback.backoffCapMs;
    }

    if (problems)
        *problems = found;
    return result;
}

void AppSettings::save(QSettings& settings) const
{
    settings.beginGroup(Group);
    settings.setValue(WorkersKey, workers);
    settings.setValue(BackoffBaseKey, backoffBaseMs);
    settings.setValue(BackoffCapKey, backoffCapMs);
    settings.setValue(DefaultTimeoutKey, defaultTimeoutMs);
    settings.endGroup();
}

QList<FieldProblem> AppSettings::problems() const
{
    QList<FieldProblem> result;
    if (!WorkersRange.contains(workers))
        result.append({WorkersKey.toString(), rangeMessage(WorkersRange)});
    const bool baseValid = BackoffRange.contains(backoffBaseMs);
    if (!baseValid)
        result.append({BackoffBaseKey.toString(), rangeMessage(BackoffRange)});
    if (!BackoffRange.contains(backoffCapMs)) {
        result.append({BackoffCapKey.toString(), rangeMessage(BackoffRange)});
    } else if (baseValid && backoffCapMs < backoffBaseMs) {
        // Only when the base itself is valid: a comparison with a bad base would be noise. The
        // base's value is left out: a form shows it right above, formatted for the locale.
        result.append({BackoffCapKey.toString(), QStringLiteral("must be at least the retry backoff base")});
    }
    if (!TimeoutRange.contains(defaultTimeoutMs))
        result.append({DefaultTimeoutKey.toString(), rangeMessage(TimeoutRange)});
    return result;
}

WorkerPool::Options AppSettings::applyTo(WorkerPool::Options options) const
{
    options.workers = workers;
    options.backoffBaseMs = backoffBaseMs;
    options.backoffCapMs = backoffCapMs;
    return options;
}

} // namespace workdeck
