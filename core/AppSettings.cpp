#include "AppSettings.h"

#include <QByteArrayView>
#include <QFile>
#include <QMetaType>
#include <QSettings>
#include <QTemporaryFile>
#include <QVariant>

#include <algorithm>
#include <limits>
#include <memory>
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

// --- Values QSettings would deserialise -------------------------------------------------------
//
// QSettings' INI reader turns a value "@Variant(…)" or "@DateTime(…)" into a QVariant read with
// QDataStream from the bytes between the parentheses. Those bytes can announce a list or a string
// of any length: ten bytes in a hand-edited or damaged file make Qt try to allocate gigabytes.
// The other "@" forms (@ByteArray, @String, @Rect, @Size, @Point, @Invalid) are bounded by the
// text itself, and load() explains them like any other wrong value.
//
// QSettings parses a group's values only when a key of that group is first read (and every group
// when it writes the file back), so load() looks at the raw file first. The scan below follows
// the line rules of Qt's reader (QConfFileSettingsPrivate::readIniLine: quotes and backslashes
// carry a value over a line break, ';' outside quotes starts a comment) and decodes escapes the
// way iniUnescapedStringList() does, so "\x40Variant(" or a value split over two lines is found
// too. It errs on the side of refusing: a value counts as soon as either form appears anywhere
// in it, in any group (a section name can reach "engine" in several ways).

struct SerialisedValue {
    int line = 0;        // 1-based, where the key starts
    QString key;         // "group/key"; "key" in the engine group (as load() names its keys) or none
    QString form;        // "@Variant" or "@DateTime"
    qsizetype start = 0; // the bytes of the whole key=value line in the file
    qsizetype length = 0;
};

constexpr bool isIniSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// One logical line from `pos`, as QConfFileSettingsPrivate::readIniLine() splits them.
bool nextIniLine(QByteArrayView data, qsizetype& pos, qsizetype& lineStart, qsizetype& lineLength,
                 qsizetype& equalsPos)
{
    const qsizetype size = data.size();
    bool inQuotes = false;
    equalsPos = -1;
    lineStart = pos;
    while (lineStart < size && isIniSpace(data[lineStart]))
        ++lineStart;
    qsizetype i = lineStart;
    while (i < size) {
        const char c = data[i++];
        if (c == '=') {
            if (!inQuotes && equalsPos == -1)
                equalsPos = i - 1;
        } else if (c == '\n' || c == '\r') {
            if (i == lineStart + 1) {
                ++lineStart;
            } else if (!inQuotes) {
                --i;
                break;
            }
        } else if (c == '\\') {
            if (i < size) {
                const char escaped = data[i++];
                if (i < size) {
                    const char after = data[i];
                    if ((escaped == '\n' && after == '\r') || (escaped == '\r' && after == '\n'))
                        ++i;
                }
            }
        } else if (c == '"') {
            inQuotes = !inQuotes;
        } else if (c == ';') {
            if (i == lineStart + 1) { // a comment line
                while (i < size && data[i] != '\n' && data[i] != '\r')
                    ++i;
                while (i < size && isIniSpace(data[i]))
                    ++i;
                lineStart = i;
            } else if (!inQuotes) {
                --i;
                break;
            }
        }
    }
    pos = i;
    lineLength = i - lineStart;
    return lineLength > 0;
}

// The value's characters after Qt's escapes (\n, \x40, \100, a backslash before a line break…),
// with quotes dropped. Escaped code points wrap at 16 bits as in Qt; other bytes pass as Latin-1,
// which is enough to find an ASCII marker.
QString unescapedIniValue(QByteArrayView value)
{
    QString result;
    result.reserve(value.size());
    const auto digit = [](char c, int base) -> int {
        if (c >= '0' && c <= '9' && c - '0' < base)
            return c - '0';
        if (base == 16 && c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (base == 16 && c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    qsizetype i = 0;
    while (i < value.size()) {
        const char c = value[i++];
        if (c == '"')
            continue;
        if (c != '\\') {
            result += QChar::fromLatin1(c);
            continue;
        }
        if (i >= value.size())
            break;
        const char escaped = value[i++];
        int base = 0;
        char16_t code = 0;
        switch (escaped) {
        case 'a':
            result += u'\a';
            break;
        case 'b':
            result += u'\b';
            break;
        case 'f':
            result += u'\f';
            break;
        case 'n':
            result += u'\n';
            break;
        case 'r':
            result += u'\r';
            break;
        case 't':
            result += u'\t';
            break;
        case 'v':
            result += u'\v';
            break;
        case '"':
        case '?':
        case '\'':
        case '\\':
            result += QChar::fromLatin1(escaped);
            break;
        case 'x':
            base = 16;
            break;
        default:
            if (escaped >= '0' && escaped <= '7') {
                base = 8;
                code = static_cast<char16_t>(escaped - '0');
            }
            break; // anything else, a line break included, is dropped
        }
        if (base == 0)
            continue;
        const qsizetype digitsStart = i;
        for (int d; i < value.size() && (d = digit(value[i], base)) >= 0; ++i)
            code = static_cast<char16_t>(code * base + d);
        if (base == 8 || i > digitsStart) // "\x" without a hex digit stands for nothing
            result += QChar(code);
    }
    return result;
}

QString iniKey(QByteArrayView text)
{
    return elided(QString::fromUtf8(text.trimmed()));
}

// Every key=value line of the INI text whose value QSettings would read with QDataStream.
QList<SerialisedValue> findSerialisedValues(QByteArrayView data)
{
    QList<SerialisedValue> found;
    QString section;
    qsizetype pos = data.startsWith("\xef\xbb\xbf") ? 3 : 0; // a UTF-8 byte order mark
    qsizetype lineStart = 0;
    qsizetype lineLength = 0;
    qsizetype equalsPos = -1;
    while (nextIniLine(data, pos, lineStart, lineLength, equalsPos)) {
        const QByteArrayView line = data.sliced(lineStart, lineLength);
        if (line.front() == '[') {
            const qsizetype close = line.indexOf(']');
            section = iniKey(line.sliced(1, (close == -1 ? line.size() : close) - 1));
            if (section.compare(u"General", Qt::CaseInsensitive) == 0)
                section.clear();
            continue;
        }
        if (equalsPos == -1)
            continue;
        const QString value =
            unescapedIniValue(data.sliced(equalsPos + 1, lineStart + lineLength - equalsPos - 1));
        for (const QLatin1StringView form :
             {QLatin1StringView("@Variant("), QLatin1StringView("@DateTime(")}) {
            if (!value.contains(form))
                continue;
            const QString key = iniKey(data.sliced(lineStart, equalsPos - lineStart));
            found.append({.line = static_cast<int>(data.first(lineStart).count('\n')) + 1,
                          .key = section.isEmpty() || section == Group ? key : section + u'/' + key,
                          .form = form.chopped(1).toString(),
                          .start = lineStart,
                          .length = lineLength});
            break;
        }
    }
    return found;
}

// The INI file behind `settings`, when there is one (IniFormat, or NativeFormat outside Apple
// and Windows, where it is INI as well).
QString iniFileOf(const QSettings& settings)
{
#if defined(Q_OS_DARWIN) || defined(Q_OS_WIN)
    const bool ini = settings.format() == QSettings::IniFormat;
#else
    const bool ini =
        settings.format() == QSettings::IniFormat || settings.format() == QSettings::NativeFormat;
#endif
    return ini ? settings.fileName() : QString();
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

    // Before QSettings parses anything: a value it would deserialise is left out of a copy of the
    // file, the values are read from that copy, and the user's file stays as it is.
    QSettings* source = &settings;
    std::unique_ptr<QTemporaryFile> cleanFile;
    std::unique_ptr<QSettings> clean;
    if (const QString path = iniFileOf(settings); !path.isEmpty()) {
        QFile file(path);
        QByteArray text;
        if (file.open(QIODevice::ReadOnly))
            text = file.readAll();
        const QList<SerialisedValue> serialised = findSerialisedValues(text);
        for (qsizetype i = serialised.size() - 1; i >= 0; --i) {
            text.remove(serialised[i].start, serialised[i].length);
        }
        for (const SerialisedValue& value : serialised) {
            found.append(value.key + u": line " + QString::number(value.line) +
                         u" holds a serialised Qt value (" + value.form +
                         u"(…)), which is not read; remove the line or set the value again in Settings");
        }
        if (!serialised.isEmpty()) {
            cleanFile = std::make_unique<QTemporaryFile>();
            if (cleanFile->open() && cleanFile->write(text) == text.size() && cleanFile->flush()) {
                clean = std::make_unique<QSettings>(cleanFile->fileName(), QSettings::IniFormat);
                source = clean.get();
            } else {
                // Without a copy to read from, nothing of the file is read: defaults for all.
                found.append(u"the settings were not read (no room for a temporary copy: " +
                             cleanFile->errorString() + u"); the defaults are used");
                if (problems)
                    *problems = found;
                return result;
            }
        }
    }

    source->beginGroup(Group);
    readInteger(*source, WorkersKey, WorkersRange, result.workers, found);
    const bool baseStored = readInteger(*source, BackoffBaseKey, BackoffRange, result.backoffBaseMs, found);
    const bool capStored = readInteger(*source, BackoffCapKey, BackoffRange, result.backoffCapMs, found);
    readInteger(*source, DefaultTimeoutKey, TimeoutRange, result.defaultTimeoutMs, found);
    source->endGroup();

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
