#pragma once

#include "BatchInput.h"
#include "BatchRecordSink.h"

#include <QStringList>

namespace workdeck {

/// Reads task records from JSON Lines (one object per line; blank lines skipped, every line
/// checked even after a bad one) or from a JSON array of objects (reading stops at the first
/// syntax error), streaming through RapidJSON's SAX reader.
class JsonBatchReader {
public:
    enum class Layout { Lines, Array };

    /// `knownFields` are interned so that records do not allocate their field names.
    JsonBatchReader(Layout layout, const QStringList& knownFields);

    void read(BatchInput& input, BatchRecordSink& sink);

private:
    Layout m_layout;
    QStringList m_knownFields;
};

} // namespace workdeck
