#pragma once

#include "Result.h"
#include "TaskRecordParser.h"

#include <vector>

namespace workdeck {

/// Reads a batch file of tasks (SPEC S3), validating every record before returning any:
/// either all the specs, or an error listing the problems as "line N: field: problem".
class BatchLoader {
public:
    static constexpr int MaxShownProblems = 100;
    static constexpr qint64 MaxLineBytes = 1 << 20;

    BatchLoader(const KindRegistry& kinds, TaskRecordParser::UserLookup users);

    Result<std::vector<TaskSpec>> load(const QString& path);

private:
    Result<std::vector<TaskSpec>> loadJsonLines(const QString& path);

    TaskRecordParser m_parser;
};

} // namespace workdeck
