#pragma once

// The body shared by the batch file fuzz targets (SPEC S3): one input is one batch file.
//
// Each input is loaded twice, once from a plain QBuffer and once from a buffer whose reads
// return a few bytes at a time, as a pipe's do. The short reads make inputs far smaller than
// BatchInput::ChunkBytes cross chunk boundaries, and the loader must give the same answer both
// times. Any other disagreement, an empty error message or a spec without parameters aborts,
// which the fuzzer reports like a crash.

#include "BatchLoader.h"
#include "KindRegistry.h"

#include <QBuffer>
#include <QByteArray>
#include <QJsonDocument>
#include <QString>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace workdeck::fuzz {

/// A QBuffer whose reads return at most `maxRead` bytes.
class ShortReadBuffer final : public QBuffer {
public:
    ShortReadBuffer(QByteArray* data, qint64 maxRead)
        : QBuffer(data)
        , m_maxRead(maxRead)
    {
    }

protected:
    qint64 readData(char* data, qint64 maxSize) override
    {
        return QBuffer::readData(data, std::min(maxSize, m_maxRead));
    }

private:
    qint64 m_maxRead;
};

[[noreturn]] inline void fail(const char* what)
{
    std::fprintf(stderr, "fuzz_batch: %s\n", what);
    std::abort();
}

/// What one load came to, reduced to text so that two loads can be compared.
struct Outcome {
    bool ok = false;
    QString text; ///< the summary and every spec, or the error message
};

inline Outcome load(QIODevice& device, BatchLoader::Format format, qint64 size)
{
    // One e-mail address is known, so that "user" takes both the found and the not-found path.
    static BatchLoader loader(KindRegistry::builtin(), [](const QString& email) -> std::optional<QString> {
        if (email == u"ann@example.com")
            return QStringLiteral("u1");
        return std::nullopt;
    });
    static const std::atomic_bool notCancelled{false};

    if (!device.open(QIODevice::ReadOnly))
        fail("cannot open the buffer");
    BatchProgress last;
    BatchLoadOptions options;
    options.cancel = &notCancelled;
    bool first = true;
    options.progress = [&last, &first, size](const BatchProgress& progress) {
        if (!first && (progress.records < last.records || progress.bytesRead < last.bytesRead))
            fail("progress went backwards");
        if (progress.bytesTotal != size)
            fail("progress reports a total other than the buffer's size");
        // corpus/*/regression-progress-offset.*: the first read once counted from a null pointer.
        if (progress.bytesRead < 0 || progress.bytesRead > size)
            fail("progress reports more bytes than the input holds, or fewer than none");
        first = false;
        last = progress;
    };
    auto result = loader.read(device, format, QStringLiteral("fuzz"), options);

    Outcome outcome;
    outcome.ok = result.ok();
    if (!result) {
        if (result.error().message.isEmpty())
            fail("a rejected batch has an empty error message");
        outcome.text = result.error().message;
        return outcome;
    }
    const Batch& batch = *result;
    if (batch.specs.empty())
        fail("an accepted batch holds no tasks");
    if (batch.summary.tasks() != static_cast<qint64>(batch.specs.size()))
        fail("the summary counts a different number of tasks");
    outcome.text = batch.summary.text();
    for (const TaskSpec& spec : batch.specs) {
        if (!spec.params)
            fail("an accepted task has no parameters");
        outcome.text +=
            u'\n' + QString::number(spec.kind) + u' ' + QString::number(spec.priority) + u' ' +
            QString::number(spec.maxRetries) + u' ' + QString::number(spec.timeoutMs) + u' ' + spec.userId +
            u' ' + spec.params->externalProgram() + u' ' +
            QString::fromUtf8(QJsonDocument(spec.params->toJson()).toJson(QJsonDocument::Compact));
    }
    return outcome;
}

/// The whole of a fuzz target: LLVMFuzzerTestOneInput returns this.
inline int testOneInput(const std::uint8_t* data, std::size_t size, BatchLoader::Format format)
{
    // No copy: reads past the end of the fuzzer's buffer are caught by AddressSanitizer.
    QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const auto length = static_cast<qint64>(size);

    QBuffer whole(&bytes);
    const Outcome once = load(whole, format, length);

    // BatchInput::skipByteOrderMark() relies on a first read of at least four bytes (three for
    // the UTF-8 mark, two for the UTF-16 one, with room to spare), as files give; keep to that.
    std::uint32_t hash = 2166136261u; // FNV-1a, so that the read size is the same on every replay
    for (std::size_t i = 0; i < size; ++i)
        hash = (hash ^ data[i]) * 16777619u;
    ShortReadBuffer pieces(&bytes, 4 + hash % 61);
    const Outcome again = load(pieces, format, length);

    if (once.ok != again.ok || once.text != again.text) {
        std::fprintf(stderr, "whole reads:\n%s\nshort reads:\n%s\n", qPrintable(once.text),
                     qPrintable(again.text));
        fail("the result depends on how the device splits its reads");
    }
    return 0;
}

} // namespace workdeck::fuzz
