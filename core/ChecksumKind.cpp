#include "ChecksumKind.h"

#include "JsonFields.h"
#include "TaskContext.h"

#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>

#include <memory>

namespace workdeck {

namespace {
const QString pathField = QStringLiteral("path");
const QString algorithmField = QStringLiteral("algorithm");
const QString expectField = QStringLiteral("expect");

bool isHex(QStringView text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F')))
            return false;
    }
    return true;
}
} // namespace

QJsonObject ChecksumParams::toJson() const
{
    QJsonObject json{{pathField, path}, {algorithmField, Digest::algorithmName(algorithm)}};
    if (!expect.isEmpty())
        json.insert(expectField, expect);
    return json;
}

QStringList ChecksumKind::parameterNames() const
{
    return {pathField, algorithmField, expectField};
}

Result<ParamsPtr> ChecksumKind::parseParams(const QJsonObject& params, int /*priority*/) const
{
    if (auto known = JsonFields::rejectUnknown(params, parameterNames()); !known)
        return known.error();
    auto path = JsonFields::string(params, pathField, true);
    if (!path)
        return path.error();

    auto result = std::make_shared<ChecksumParams>();
    result->path = std::move(*path);

    // Present but empty is a mistake worth reporting, so presence is checked, not emptiness.
    if (params.contains(algorithmField)) {
        const auto name = JsonFields::string(params, algorithmField, false);
        if (!name)
            return name.error();
        const auto algorithm = Digest::algorithmFromName(*name);
        if (!algorithm)
            return Error{algorithmField + u": must be one of " + Digest::algorithmNames().join(u", ") +
                         u", not \"" + *name + u'"'};
        result->algorithm = *algorithm;
    }

    if (params.contains(expectField)) {
        const auto expect = JsonFields::string(params, expectField, false);
        if (!expect)
            return expect.error();
        const QString algorithmName = Digest::algorithmName(result->algorithm);
        const int hexLength = 2 * Digest::digestLength(result->algorithm);
        if (!isHex(*expect))
            return Error{expectField + u": must be the hexadecimal " + algorithmName +
                         u" digest (digits 0-9 and a-f only)"};
        if (expect->size() != hexLength)
            return Error{expectField + u": must be " + QString::number(hexLength) + u" hex digits for " +
                         algorithmName + u", not " + QString::number(expect->size())};
        result->expect = expect->toLower();
    }
    return ParamsPtr(std::move(result));
}

AttemptOutcome ChecksumKind::run(const KindParams& params, TaskContext& context) const
{
    const auto& checksum = static_cast<const ChecksumParams&>(params);

    // Opening a FIFO blocks until something writes to it, beyond the reach of a stop request.
    struct stat info {};
    if (::stat(QFile::encodeName(checksum.path).constData(), &info) == 0 && S_ISFIFO(info.st_mode))
        return AttemptOutcome::failed(u"cannot open " + checksum.path +
                                      u": it is a named pipe; give a file or a device instead");

    QFile file(checksum.path);
    // Unbuffered: reads go straight into our chunk instead of through QIODevice's buffer.
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return AttemptOutcome::failed(u"cannot open " + checksum.path + u": " + file.errorString());
    // Doubles the kernel's read-ahead for files that are not yet in the page cache.
    ::posix_fadvise(file.handle(), 0, 0, POSIX_FADV_SEQUENTIAL);

    Digest digest(checksum.algorithm);
    // Not a QByteArray: it would zero-fill a megabyte that read() is about to overwrite.
    const auto chunk = std::make_unique_for_overwrite<char[]>(std::size_t(ChunkSize));
    for (;;) {
        if (context.stopRequested())
            return AttemptOutcome::stopped();
        const qint64 count = file.read(chunk.get(), ChunkSize);
        if (count < 0)
            return AttemptOutcome::failed(u"cannot read " + checksum.path + u": " + file.errorString());
        if (count == 0)
            break;
        digest.addData(QByteArrayView(chunk.get(), qsizetype(count)));
    }

    const QString actual = QString::fromLatin1(digest.hexResult());
    if (!checksum.expect.isEmpty() && actual != checksum.expect)
        return AttemptOutcome::failed(u"checksum mismatch: expected " + checksum.expect + u", got " + actual,
                                      actual);
    return AttemptOutcome::succeeded(actual);
}

} // namespace workdeck
