#pragma once

#include "BatchInput.h"
#include "BatchRecordSink.h"

#include <QJsonValue>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace workdeck {

/// Reads task records from CSV (RFC 4180: a header row naming the fields, quoted fields
/// with commas, doubled quotes and line breaks; LF or CRLF; blank lines skipped). Cells are
/// text, so each column is converted to the JSON type its field holds: numbers for integer
/// fields, JSON text for `args` and `env`; an empty cell leaves the field out.
class CsvBatchReader {
public:
    using FieldType = std::function<QJsonValue::Type(const QString& field)>;

    CsvBatchReader(const QStringList& knownFields, FieldType fieldType);

    void read(BatchInput& input, BatchRecordSink& sink);

private:
    enum class Row { Complete, Blank, Broken, End };
    Row readRow(BatchInput& input, BatchRecordSink& sink);
    bool readHeader(qint64 line, BatchRecordSink& sink);
    /// The row as a record, or nothing when a cell cannot be converted (each problem reported).
    std::optional<TaskRecord> convert(qint64 line, BatchRecordSink& sink) const;

    struct Column {
        QString name;
        QJsonValue::Type type = QJsonValue::String;
    };

    QStringList m_knownFields;
    FieldType m_fieldType;
    std::vector<Column> m_columns;
    std::vector<QByteArray> m_cells;
};

} // namespace workdeck
