#pragma once

#include "Digest.h"
#include "TaskKind.h"

namespace workdeck {

/// Parameters of a checksum task.
struct ChecksumParams final : KindParams {
    QString path;
    Digest::Algorithm algorithm = Digest::DefaultAlgorithm;
    /// Lowercase hex of the expected digest; empty when nothing is expected.
    QString expect;
    QJsonObject toJson() const override;
};

/// Hashes a file, streaming it, and optionally checks the digest against an expected value.
class ChecksumKind final : public TaskKind {
public:
    /// Read size per step: large enough that system calls cost nothing next to hashing, small
    /// enough to stay in cache and to check for a stop request every millisecond or so.
    static constexpr qsizetype ChunkSize = 1024 * 1024;

    QString name() const override { return QStringLiteral("checksum"); }
    QStringList parameterNames() const override;
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;
};

} // namespace workdeck
