#pragma once

#include "TaskKind.h"

#include <QList>
#include <QPair>

namespace workdeck {

/// Parameters of a command task.
struct CommandParams final : KindParams {
    QString program;
    QStringList args;
    /// Working directory; empty means the application's own.
    QString cwd;
    /// Added on top of the application's environment, in key order.
    QList<QPair<QString, QString>> env;
    QJsonObject toJson() const override;
    QString externalProgram() const override { return program; }
};

/// Runs a program directly (never through a shell) and captures its output.
class CommandKind final : public TaskKind {
public:
    /// How much stderr is kept for the error message of a failed command.
    static constexpr qsizetype StderrTailCapacity = 8 * 1024;
    /// The error message quotes at most this many characters of stderr.
    static constexpr qsizetype MaxStderrInError = 2000;

    QString name() const override { return QStringLiteral("command"); }
    QStringList parameterNames() const override;
    QJsonValue::Type parameterType(const QString& name) const override;
    Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const override;
    /// Blocks the calling thread, which needs no event loop. On a stop request the program and
    /// everything it started in its process group are killed.
    AttemptOutcome run(const KindParams& params, TaskContext& context) const override;
};

} // namespace workdeck
