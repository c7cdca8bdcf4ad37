#include "CsvBatchReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace workdeck {

CsvBatchReader::CsvBatchReader(const QStringList& knownFields, FieldType fieldType)
    : m_knownFields(knownFields)
    , m_fieldType(std::move(fieldType))
{
}

void CsvBatchReader::read(BatchInput& input, BatchRecordSink& sink)
{
    input.setLineMode(false);
    bool header = true;
    for (;;) {
        const qint64 line = input.line();
        const Row row = readRow(input, sink);
        if (row == Row::End)
            return;
        if (row == Row::Broken && header)
            return;
        if (row != Row::Complete)
            continue;
        if (header) {
            if (!readHeader(line, sink))
                return; // rows cannot be read without knowing their columns
            header = false;
            continue;
        }
        if (m_cells.size() != m_columns.size()) {
            sink.problem(line, {},
                         u"the row has " + QString::number(m_cells.size()) + u" field(s); the header has " +
                             QString::number(m_columns.size()) +
                             u" (quote fields that hold commas or line breaks)");
            continue;
        }
        if (const auto record = convert(line, sink))
            sink.record(line, *record);
    }
}

CsvBatchReader::Row CsvBatchReader::readRow(BatchInput& input, BatchRecordSink& sink)
{
    m_cells.clear();
    input.startRecord();
    const qint64 rowLine = input.line();
    QByteArray cell;
    bool quoted = false; // inside a quoted field
    bool closed = false; // after a quoted field's closing quote
    qint64 quoteLine = 0;
    bool sawAnything = false; // a blank line is not a row
    const auto column = [this]() -> QString {
        const std::size_t index = m_cells.size();
        return index < m_columns.size() ? m_columns[index].name : QString();
    };
    const auto skipRow = [&input](bool inQuotes) {
        // Resynchronise at the next line feed outside quotes.
        for (char c = input.Take(); c != '\0'; c = input.Take()) {
            if (c == '"')
                inQuotes = !inQuotes;
            else if (c == '\n' && !inQuotes)
                break;
        }
    };
    for (;;) {
        const char c = input.Peek();
        if (c == '\0') {
            switch (input.stop()) {
            case BatchInput::Stop::EndOfInput:
                break;
            case BatchInput::Stop::NotText:
                sink.problem(input.line(), {},
                             QStringLiteral("the file is not text: it holds a NUL byte (is it UTF-16? save "
                                            "it as UTF-8)"));
                return Row::End;
            case BatchInput::Stop::TooLong:
                sink.problem(rowLine, {}, QStringLiteral("the row is longer than 1 MiB"));
                return Row::End;
            default:
                return Row::End; // cancelled or unreadable: the caller reports it
            }
            if (quoted) {
                sink.problem(quoteLine, column(),
                             QStringLiteral("the quoted field is never closed (a \" is missing)"));
                return Row::End;
            }
            if (!sawAnything)
                return Row::End;
            m_cells.push_back(std::move(cell));
            return Row::Complete;
        }
        input.Take();
        if (quoted) {
            if (c == '"') {
                if (input.Peek() == '"') {
                    input.Take();
                    cell.append('"');
                } else {
                    quoted = false;
                    closed = true;
                }
            } else {
                cell.append(c);
            }
            continue;
        }
        if (c == ',') {
            sawAnything = true;
            m_cells.push_back(std::move(cell));
            cell = QByteArray();
            closed = false;
        } else if (c == '\n' || (c == '\r' && (input.Peek() == '\n' || input.Peek() == '\0'))) {
            if (c == '\r')
                input.Take();
            if (!sawAnything)
                return Row::Blank;
            m_cells.push_back(std::move(cell));
            return Row::Complete;
        } else if (closed) {
            sink.problem(input.line(), column(),
                         QStringLiteral("unexpected text after the closing quote (a quote inside a quoted "
                                        "field is written \"\")"));
            skipRow(false);
            return Row::Broken;
        } else if (c == '"') {
            sawAnything = true;
            if (!cell.isEmpty()) {
                sink.problem(input.line(), column(),
                             QStringLiteral("a quote inside an unquoted field; quote the whole field and "
                                            "write the quote as \"\""));
                skipRow(true);
                return Row::Broken;
            }
            quoted = true;
            quoteLine = input.line();
        } else {
            sawAnything = true;
            cell.append(c);
        }
    }
}

bool CsvBatchReader::readHeader(qint64 line, BatchRecordSink& sink)
{
    bool ok = true;
    m_columns.clear();
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        const QByteArray& cell = m_cells[i];
        if (!cell.isValidUtf8()) {
            sink.problem(line, {},
                         u"column " + QString::number(i + 1) + u" of the header is not valid UTF-8");
            ok = false;
            continue;
        }
        const QString name = QString::fromUtf8(cell).trimmed();
        if (name.isEmpty()) {
            sink.problem(line, {}, u"column " + QString::number(i + 1) + u" of the header has no name");
            ok = false;
        } else if (!m_knownFields.contains(name)) {
            sink.problem(line, name,
                         u"unknown column (the columns a batch may have: " + m_knownFields.join(u", ") +
                             u')');
            ok = false;
        } else if (std::any_of(m_columns.begin(), m_columns.end(),
                               [&name](const Column& column) { return column.name == name; })) {
            sink.problem(line, name, QStringLiteral("the column appears twice in the header"));
            ok = false;
        }
        m_columns.push_back({name, m_fieldType(name)});
    }
    return ok;
}

std::optional<TaskRecord> CsvBatchReader::convert(qint64 line, BatchRecordSink& sink) const
{
    TaskRecord record;
    bool ok = true;
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        const QByteArray& cell = m_cells[i];
        if (cell.isEmpty())
            continue; // the field is left out
        const Column& column = m_columns[i];
        if (!cell.isValidUtf8()) {
            sink.problem(line, column.name, QStringLiteral("invalid UTF-8; save the file as UTF-8"));
            ok = false;
            continue;
        }
        switch (column.type) {
        case QJsonValue::Double: {
            double number = 0;
            const char* end = cell.constData() + cell.size();
            const auto [rest, error] = std::from_chars(cell.constData(), end, number);
            if (error == std::errc::result_out_of_range) {
                sink.problem(line, column.name, QStringLiteral("the number is too large to read"));
                ok = false;
                continue;
            }
            // Text that is not a number is kept as text; the field's check then says what it needs.
            record.fields.emplace_back(column.name, error == std::errc() && rest == end
                                                        ? QJsonValue(number)
                                                        : QJsonValue(QString::fromUtf8(cell)));
            break;
        }
        case QJsonValue::Array:
        case QJsonValue::Object: {
            QJsonParseError error{};
            const QJsonDocument document = QJsonDocument::fromJson(cell, &error);
            if (error.error != QJsonParseError::NoError) {
                sink.problem(line, column.name,
                             u"must hold JSON text such as " +
                                 (column.type == QJsonValue::Array ? QStringLiteral("[\"-k\",\"a.log\"]")
                                                                   : QStringLiteral("{\"LANG\":\"C\"}")) +
                                 u" (" + error.errorString() + u" at character " +
                                 QString::number(error.offset + 1) + u')');
                ok = false;
                continue;
            }
            record.fields.emplace_back(column.name, document.isArray() ? QJsonValue(document.array())
                                                                       : QJsonValue(document.object()));
            break;
        }
        default:
            record.fields.emplace_back(column.name, QString::fromUtf8(cell));
            break;
        }
    }
    if (!ok)
        return std::nullopt;
    return record;
}

} // namespace workdeck
