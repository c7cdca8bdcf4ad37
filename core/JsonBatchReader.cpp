#include "JsonBatchReader.h"

#include <QJsonArray>

#include <rapidjson/reader.h>

#include <cstring>
#include <limits>
#include <vector>

namespace workdeck {

namespace {

/// How deep arrays and objects may nest inside a record; task fields need two levels.
constexpr std::size_t MaxDepth = 32;

/// Builds each record from RapidJSON's SAX events and hands it to the sink.
class RecordHandler {
public:
    RecordHandler(JsonBatchReader::Layout layout, const QStringList& knownFields, BatchInput& input,
                  BatchRecordSink& sink)
        : m_layout(layout)
        , m_input(input)
        , m_sink(sink)
    {
        for (const QString& field : knownFields)
            m_known.push_back({field.toUtf8(), field});
        m_lastValues.resize(m_known.size());
    }

    /// Before each parse: forgets a record left half-built by a syntax error.
    void reset()
    {
        m_frames.clear();
        m_field.clear();
    }
    /// The line where the record being read started.
    qint64 recordLine() const { return m_recordLine; }
    /// The record field whose value was being read, if any.
    const QString& field() const { return m_field; }

    bool Null() { return value(QJsonValue(QJsonValue::Null)); }
    bool Bool(bool b) { return value(QJsonValue(b)); }
    bool Int(int i) { return value(QJsonValue(i)); }
    bool Uint(unsigned u) { return value(QJsonValue(static_cast<qint64>(u))); }
    bool Int64(int64_t i) { return value(QJsonValue(static_cast<qint64>(i))); }
    bool Uint64(uint64_t u)
    {
        if (u > static_cast<uint64_t>(std::numeric_limits<qint64>::max()))
            return value(QJsonValue(static_cast<double>(u)));
        return value(QJsonValue(static_cast<qint64>(u)));
    }
    bool Double(double d) { return value(QJsonValue(d)); }
    bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; } // not requested
    bool String(const char* text, rapidjson::SizeType length, bool)
    {
        if (m_frames.size() == 1 && m_keyIndex >= 0) {
            // Records repeat their texts ("kind":"simulate"): reuse the last one of each field.
            auto& [utf8, string] = m_lastValues[static_cast<std::size_t>(m_keyIndex)];
            if (utf8.size() != length || std::memcmp(utf8.constData(), text, length) != 0) {
                utf8 = QByteArray(text, static_cast<qsizetype>(length));
                string = QString::fromUtf8(utf8);
            }
            return value(QJsonValue(string));
        }
        return value(QJsonValue(QString::fromUtf8(text, static_cast<qsizetype>(length))));
    }
    bool Key(const char* text, rapidjson::SizeType length, bool)
    {
        Frame& frame = m_frames.back();
        if (m_frames.size() == 1) {
            m_keyIndex = -1;
            for (std::size_t i = 0; i < m_known.size(); ++i) {
                const QByteArray& utf8 = m_known[i].first;
                if (utf8.size() == length && std::memcmp(utf8.constData(), text, length) == 0) {
                    m_keyIndex = static_cast<int>(i);
                    break;
                }
            }
            frame.key = m_keyIndex >= 0 ? m_known[static_cast<std::size_t>(m_keyIndex)].second
                                        : QString::fromUtf8(text, static_cast<qsizetype>(length));
            m_field = frame.key;
        } else {
            frame.key = QString::fromUtf8(text, static_cast<qsizetype>(length));
        }
        return true;
    }
    bool StartObject()
    {
        if (m_frames.empty()) {
            if (m_layout == JsonBatchReader::Layout::Array) {
                if (!m_inArray)
                    return notAnArray();
                m_input.startRecord();
            }
            m_recordLine = m_input.line();
            m_record.fields.clear();
        } else if (m_frames.size() >= MaxDepth) {
            return tooDeep();
        }
        m_frames.push_back(Frame{true, {}, {}, {}});
        return true;
    }
    bool EndObject(rapidjson::SizeType)
    {
        if (m_frames.size() == 1) {
            m_frames.pop_back();
            m_field.clear();
            m_sink.record(m_recordLine, m_record);
            return true;
        }
        QJsonObject object = std::move(m_frames.back().object);
        m_frames.pop_back();
        return value(QJsonValue(std::move(object)));
    }
    bool StartArray()
    {
        if (m_frames.empty()) {
            if (m_layout == JsonBatchReader::Layout::Array && !m_inArray) {
                m_inArray = true;
                return true;
            }
            return notAnObject();
        }
        if (m_frames.size() >= MaxDepth)
            return tooDeep();
        m_frames.push_back(Frame{false, {}, {}, {}});
        return true;
    }
    bool EndArray(rapidjson::SizeType)
    {
        if (m_frames.empty()) {
            m_inArray = false;
            return true;
        }
        QJsonArray array = std::move(m_frames.back().array);
        m_frames.pop_back();
        return value(QJsonValue(std::move(array)));
    }

private:
    struct Frame {
        bool isObject;
        QJsonObject object;
        QJsonArray array;
        QString key;
    };

    bool value(const QJsonValue& value)
    {
        if (m_frames.empty()) {
            if (m_layout == JsonBatchReader::Layout::Array && !m_inArray)
                return notAnArray();
            return notAnObject();
        }
        Frame& frame = m_frames.back();
        if (m_frames.size() == 1) {
            if (m_record.contains(frame.key))
                m_sink.problem(m_input.line(), m_field, QStringLiteral("appears twice in the record"));
            else
                m_record.fields.emplace_back(frame.key, value);
            m_field.clear();
            return true;
        }
        if (!frame.isObject) {
            frame.array.append(value);
            return true;
        }
        if (frame.object.contains(frame.key))
            m_sink.problem(m_input.line(), m_field, u'"' + frame.key + u"\" appears twice");
        else
            frame.object.insert(frame.key, value);
        return true;
    }

    bool notAnObject()
    {
        m_sink.problem(m_input.line(), {},
                       m_layout == JsonBatchReader::Layout::Array
                           ? QStringLiteral("each element of the array must be a JSON object such as "
                                            "{\"kind\":\"simulate\"}")
                           : QStringLiteral("expected a JSON object such as {\"kind\":\"simulate\"}"));
        return false;
    }
    bool notAnArray()
    {
        m_sink.problem(m_input.line(), {},
                       QStringLiteral("a .json batch must be one JSON array of task objects, such as "
                                      "[{\"kind\":\"simulate\"}]"));
        return false;
    }
    bool tooDeep()
    {
        m_sink.problem(m_input.line(), m_field, QStringLiteral("is nested too deeply"));
        return false;
    }

    JsonBatchReader::Layout m_layout;
    BatchInput& m_input;
    BatchRecordSink& m_sink;
    std::vector<std::pair<QByteArray, QString>> m_known;
    std::vector<std::pair<QByteArray, QString>> m_lastValues; // per known field
    int m_keyIndex = -1;                                      // of the record's current field
    TaskRecord m_record;                                      // the outermost frame's fields
    std::vector<Frame> m_frames;
    QString m_field;
    qint64 m_recordLine = 0;
    bool m_inArray = false;
};

QString describe(rapidjson::ParseErrorCode code, JsonBatchReader::Layout layout)
{
    const bool lines = layout == JsonBatchReader::Layout::Lines;
    switch (code) {
    case rapidjson::kParseErrorDocumentRootNotSingular:
        return lines ? QStringLiteral(
                           "more than one JSON value on the line; JSON Lines holds one object per line")
                     : QStringLiteral("unexpected text after the array");
    case rapidjson::kParseErrorValueInvalid:
        return QStringLiteral("not valid JSON: expected a value (text needs double quotes; NaN and "
                              "Infinity are not JSON)");
    case rapidjson::kParseErrorObjectMissName:
        return QStringLiteral("not valid JSON: expected a field name in double quotes");
    case rapidjson::kParseErrorObjectMissColon:
        return QStringLiteral("not valid JSON: expected ':' after the field name");
    case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket:
        return QStringLiteral("not valid JSON: expected ',' or '}'");
    case rapidjson::kParseErrorArrayMissCommaOrSquareBracket:
        return QStringLiteral("not valid JSON: expected ',' or ']'");
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
        return QStringLiteral("not valid JSON: a \\u escape needs four hexadecimal digits");
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid:
        return QStringLiteral("not valid JSON: a \\u escape holds half of a surrogate pair");
    case rapidjson::kParseErrorStringEscapeInvalid:
        return QStringLiteral("not valid JSON: invalid escape sequence in a string");
    case rapidjson::kParseErrorStringMissQuotationMark:
        return QStringLiteral("not valid JSON: a string is not closed");
    case rapidjson::kParseErrorStringInvalidEncoding:
        return QStringLiteral("invalid UTF-8; save the file as UTF-8");
    case rapidjson::kParseErrorNumberTooBig:
        return QStringLiteral("the number is too large to read");
    case rapidjson::kParseErrorNumberMissFraction:
        return QStringLiteral("not valid JSON: a number needs digits after its decimal point");
    case rapidjson::kParseErrorNumberMissExponent:
        return QStringLiteral("not valid JSON: a number needs digits in its exponent");
    default:
        break;
    }
    return QStringLiteral("not valid JSON");
}

} // namespace

JsonBatchReader::JsonBatchReader(Layout layout, const QStringList& knownFields)
    : m_layout(layout)
    , m_knownFields(knownFields)
{
}

void JsonBatchReader::read(BatchInput& input, BatchRecordSink& sink)
{
    constexpr unsigned flags = rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;
    RecordHandler handler(m_layout, m_knownFields, input, sink);
    rapidjson::Reader reader;
    const bool lines = m_layout == Layout::Lines;
    input.setLineMode(lines);
    for (;;) {
        const qint64 line = input.line();
        handler.reset();
        const rapidjson::ParseResult result = reader.Parse<flags>(input, handler);
        const BatchInput::Stop stop = input.stop();
        switch (stop) {
        case BatchInput::Stop::Cancelled:
        case BatchInput::Stop::ReadError:
            return; // the caller reports these
        case BatchInput::Stop::NotText:
            sink.problem(input.line(), {},
                         QStringLiteral("the file is not text: it holds a NUL byte (is it UTF-16? save it "
                                        "as UTF-8)"));
            return;
        case BatchInput::Stop::TooLong:
            sink.problem(lines                      ? line
                         : handler.recordLine() > 0 ? handler.recordLine()
                                                    : input.line(),
                         {},
                         lines ? QStringLiteral("the line is longer than 1 MiB")
                               : QStringLiteral("the record is larger than 1 MiB"));
            if (!lines)
                return;
            break;
        default:
            if (result.IsError() && result.Code() != rapidjson::kParseErrorTermination &&
                result.Code() != rapidjson::kParseErrorDocumentEmpty) {
                const bool atEnd = result.Offset() == input.Tell() && stop != BatchInput::Stop::None &&
                                   result.Code() != rapidjson::kParseErrorStringInvalidEncoding;
                QString problem = describe(result.Code(), m_layout);
                if (atEnd)
                    problem =
                        lines ? QStringLiteral("the line ends inside its JSON object (is it cut short?)")
                              : QStringLiteral("the file ends before the array is closed (is it cut short?)");
                sink.problem(lines ? line : input.line(), handler.field(), problem);
            }
            break;
        }
        if (!lines || stop == BatchInput::Stop::EndOfInput)
            return;
        input.nextLine();
        if (input.stop() == BatchInput::Stop::EndOfInput)
            return;
    }
}

} // namespace workdeck
