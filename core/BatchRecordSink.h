#pragma once

#include "TaskRecord.h"

#include <QString>

namespace workdeck {

/// Where a batch format reader delivers what it reads: records, and problems
/// of the file's syntax, each with its 1-based line.
class BatchRecordSink {
public:
    virtual ~BatchRecordSink() = default;
    virtual void record(qint64 line, const TaskRecord& record) = 0;
    /// `field` is empty when the problem belongs to the line, not to one field.
    virtual void problem(qint64 line, const QString& field, const QString& problem) = 0;
};

} // namespace workdeck
