#pragma once

#include "BatchSummary.h"
#include "Result.h"
#include "TaskRecordParser.h"

#include <QIODevice>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace workdeck {

/// How far a load has come.
struct BatchProgress {
    qint64 records = 0;
    qint64 bytesRead = 0;
    qint64 bytesTotal = 0; ///< 0 when unknown
};

/// What a caller may ask of a load.
struct BatchLoadOptions {
    /// Called on the loading thread after each chunk of the file.
    std::function<void(const BatchProgress&)> progress;
    /// Checked after each chunk (256 KiB, a few milliseconds of work); when set, the load
    /// stops and returns an error.
    const std::atomic_bool* cancel = nullptr;
    /// The timeout of tasks whose record names none.
    qint64 defaultTimeoutMs = TaskSpec::DefaultTimeoutMs;
};

/// A batch that passed validation: its tasks, in file order, and what they add up to.
struct Batch {
    std::vector<TaskSpec> specs;
    BatchSummary summary;
};

/// Reads a batch file of tasks (SPEC S3) — JSON Lines, a JSON array or CSV — streaming it
/// in chunks and validating every record before returning any: either the whole batch, or
/// an error listing the problems as "line N: field: problem" (the first 100, then a count).
class BatchLoader {
public:
    enum class Format { JsonLines, JsonArray, Csv };

    using Options = BatchLoadOptions;

    /// By file name extension: .jsonl/.ndjson, .json, .csv (any case).
    static std::optional<Format> formatOf(const QString& path);

    BatchLoader(const KindRegistry& kinds, TaskRecordParser::UserLookup users);

    Result<Batch> load(const QString& path, const Options& options = {});
    /// Reads an open device; `path` only names it in messages.
    Result<Batch> read(QIODevice& device, Format format, const QString& path, const Options& options = {});

private:
    const KindRegistry& m_kinds;
    TaskRecordParser::UserLookup m_users;
};

} // namespace workdeck
