#pragma once

#include "TaskSpec.h"
#include "UserValidator.h"
#include "WorkerPool.h"

#include <QList>
#include <QStringList>

class QSettings;

namespace workdeck {

/// The settings a person can change (SPEC S4): worker count, retry backoff and the default
/// timeout of new tasks. Stored with QSettings under the group "engine"; values that are missing
/// or invalid in the stored file fall back to their defaults.
struct AppSettings {
    /// WorkerPool::setWorkerCount() clamps to 1..256; a larger stored value would be silently cut.
    static constexpr int MaxWorkers = 256;
    /// Longest backoff base or cap: a day, as for a task's timeout. A longer wait would look like
    /// a task stuck in `retrying` for good.
    static constexpr qint64 MaxBackoffMs = 86'400'000;

    int workers = WorkerPool::defaultWorkerCount();
    qint64 backoffBaseMs = WorkerPool::Options{}.backoffBaseMs;
    qint64 backoffCapMs = WorkerPool::Options{}.backoffCapMs;
    qint64 defaultTimeoutMs = TaskSpec::DefaultTimeoutMs;

    /// One worker per core, the pool's backoff defaults (1 s / 300 s), a 10 s timeout.
    static AppSettings defaults();
    /// Reads the stored settings; a value that is missing keeps its default, and one that is
    /// invalid (wrong type, out of range, cap below base) keeps its default and is described in
    /// `problems` as "key: problem" (the file may have been edited by hand). When the cap is below
    /// the base, both keep their defaults: either may be the mistake.
    /// When `settings` is backed by an INI file, the file is checked before QSettings parses it:
    /// a value QSettings would deserialise with QDataStream ("@Variant(…)", "@DateTime(…)", which
    /// can announce gigabytes in a few bytes) is not read, wherever it is, and is described as
    /// "key: line N holds …"; the other values are read from a copy without those lines, and the
    /// file itself is left as it is.
    static AppSettings load(QSettings& settings, QStringList* problems = nullptr);
    /// Writes all four values (valid or not; load() checks them on the way back).
    void save(QSettings& settings) const;
    /// Problems of these values as FieldProblem{field, message} with field names "workers",
    /// "backoff_base_ms", "backoff_cap_ms", "default_timeout_ms", in that order; empty when valid.
    QList<FieldProblem> problems() const;
    /// The pool options with these values applied (the timeout is for new tasks, not the pool).
    WorkerPool::Options applyTo(WorkerPool::Options options) const;

    bool operator==(const AppSettings&) const = default;
};

} // namespace workdeck
