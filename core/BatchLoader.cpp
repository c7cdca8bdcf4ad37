#include "BatchLoader.h"

#include "BatchInput.h"
#include "BatchProblems.h"
#include "CsvBatchReader.h"
#include "JsonBatchReader.h"
#include "Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

namespace workdeck {

namespace {

/// Validates each record as it arrives and keeps the specs while the file is still valid.
class Collector final : public BatchRecordSink {
public:
    Collector(const KindRegistry& kinds, TaskRecordParser& parser)
        : m_kinds(kinds)
        , m_parser(parser)
    {
    }

    void record(qint64 line, const TaskRecord& record) override
    {
        ++m_records;
        m_recordProblems.clear();
        auto spec = m_parser.parse(record, m_recordProblems);
        for (const QString& problem : std::as_const(m_recordProblems))
            m_problems.add(line, problem);
        if (!m_problems.empty()) {
            if (!m_batch.specs.empty())
                m_batch.specs = {}; // nothing will be imported: give the memory back now
            return;
        }
        m_batch.summary.add(*spec, m_kinds);
        m_batch.specs.push_back(std::move(*spec));
    }
    void problem(qint64 line, const QString& field, const QString& problem) override
    {
        m_problems.add(line, field, problem);
        m_batch.specs = {};
    }

    qint64 records() const { return m_records; }
    BatchProblems& problems() { return m_problems; }
    Batch take() { return std::move(m_batch); }

private:
    const KindRegistry& m_kinds;
    TaskRecordParser& m_parser;
    BatchProblems m_problems;
    QStringList m_recordProblems;
    Batch m_batch;
    qint64 m_records = 0;
};

} // namespace

std::optional<BatchLoader::Format> BatchLoader::formatOf(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"jsonl" || suffix == u"ndjson")
        return Format::JsonLines;
    if (suffix == u"json")
        return Format::JsonArray;
    if (suffix == u"csv")
        return Format::Csv;
    return std::nullopt;
}

BatchLoader::BatchLoader(const KindRegistry& kinds, TaskRecordParser::UserLookup users)
    : m_kinds(kinds)
    , m_users(std::move(users))
{
}

Result<Batch> BatchLoader::load(const QString& path, const Options& options)
{
    const auto format = formatOf(path);
    if (!format)
        return Error{u"batch: " + path + u" has an unsupported type \"." + QFileInfo(path).suffix() +
                         u"\"; use .jsonl or .ndjson (JSON Lines), .json (an array) or .csv",
                     true};
    if (QFileInfo(path).isDir())
        return Error{u"batch: " + path + u" is a folder, not a file", true};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"batch: cannot read " + path + u": " + file.errorString(), true};
    return read(file, *format, path, options);
}

Result<Batch> BatchLoader::read(QIODevice& device, Format format, const QString& path, const Options& options)
{
    // Batches name few users, many times each: ask the database once per address.
    QHash<QString, std::optional<QString>> knownUsers;
    TaskRecordParser parser(m_kinds, [this, &knownUsers](const QString& email) {
        auto it = knownUsers.constFind(email);
        if (it == knownUsers.constEnd())
            it = knownUsers.insert(email, m_users ? m_users(email) : std::nullopt);
        return *it;
    });
    parser.setDefaultTimeoutMs(options.defaultTimeoutMs);
    Collector collector(m_kinds, parser);
    const qint64 total = device.isSequential() ? 0 : device.size();
    BatchInput input(device, options.cancel, [&](qint64 bytes) {
        if (options.progress)
            options.progress(BatchProgress{collector.records(), bytes, total});
    });
    if (!input.skipByteOrderMark()) {
        collector.problem(1, {}, QStringLiteral("the file is UTF-16 or UTF-32; save it as UTF-8"));
    } else if (format == Format::Csv) {
        CsvBatchReader(parser.fieldNames(), [&parser](const QString& field) {
            return parser.fieldType(field);
        }).read(input, collector);
    } else {
        JsonBatchReader(format == Format::JsonLines ? JsonBatchReader::Layout::Lines
                                                    : JsonBatchReader::Layout::Array,
                        parser.fieldNames())
            .read(input, collector);
    }
    if (input.stop() == BatchInput::Stop::Cancelled || (options.cancel && options.cancel->load()))
        return Error{QStringLiteral("batch: loading was cancelled; nothing was imported")};
    if (input.stop() == BatchInput::Stop::ReadError)
        return Error{u"batch: reading " + path + u" failed: " + device.errorString()};
    if (collector.problems().empty() && collector.records() == 0)
        collector.problem(1, {}, QStringLiteral("the file holds no tasks"));
    if (!collector.problems().empty()) {
        qCInfo(lcBatch) << path << "rejected with" << collector.problems().count() << "problem(s)";
        return collector.problems().error();
    }
    if (options.progress)
        options.progress(BatchProgress{collector.records(), input.consumed(), total});
    return collector.take();
}

} // namespace workdeck
