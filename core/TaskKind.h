#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <memory>

namespace workdeck {

class TaskContext;

/// A kind's validated parameters, shared by every task that uses the same values.
class KindParams {
public:
    virtual ~KindParams() = default;
    /// The parameters as the JSON object a batch file or the database holds.
    virtual QJsonObject toJson() const = 0;
    /// The external program these parameters run, if any (shown before a batch is queued).
    virtual QString externalProgram() const { return {}; }
};

using ParamsPtr = std::shared_ptr<const KindParams>;

/// How one attempt ended, as the kind saw it.
struct AttemptOutcome {
    enum class Status { Succeeded, Failed, Stopped };
    Status status = Status::Succeeded;
    QString output;
    QString error;

    static AttemptOutcome succeeded(QString output) { return {Status::Succeeded, std::move(output), {}}; }
    static AttemptOutcome failed(QString error, QString output = {})
    {
        return {Status::Failed, std::move(output), std::move(error)};
    }
    static AttemptOutcome stopped(QString output = {}) { return {Status::Stopped, std::move(output), {}}; }
};

/// A kind of work the pool can run. Adding a kind means one class implementing this
/// interface and one line in KindRegistry::builtin().
class TaskKind {
public:
    virtual ~TaskKind() = default;

    virtual QString name() const = 0;
    /// The parameter fields this kind accepts at the top level of a task record.
    virtual QStringList parameterNames() const = 0;
    /// The JSON type a parameter holds, for formats without types (CSV cells are text).
    virtual QJsonValue::Type parameterType(const QString& name) const
    {
        Q_UNUSED(name);
        return QJsonValue::String;
    }
    /// Validates the kind's fields of a task; each problem names its field.
    /// `priority` is given because some defaults depend on it.
    virtual Result<ParamsPtr> parseParams(const QJsonObject& params, int priority) const = 0;
    /// Runs one attempt in a worker thread. May throw; the pool turns that into a failed attempt.
    virtual AttemptOutcome run(const KindParams& params, TaskContext& context) const = 0;
};

} // namespace workdeck
