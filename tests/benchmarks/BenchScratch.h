#pragma once

// What the benchmarks that write files and run programs share.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

namespace workdeck::bench {

/// One scratch folder per benchmark program, removed at exit.
inline QTemporaryDir& scratch()
{
    static QTemporaryDir dir;
    return dir;
}

/// The path of a database file in the scratch folder, with any earlier one (and its WAL) gone.
inline QString freshDatabase(const QString& name)
{
    const QString path = scratch().filePath(name);
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    return path;
}

/// Runs a program to its end and returns the JSON object it printed; marks the benchmark
/// failed (and returns an empty object) when it fails.
inline QJsonObject runChild(benchmark::State& state, const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(600'000) || process.exitCode() != 0) {
        state.SkipWithError(
            qPrintable(program + u" failed: " + QString::fromLocal8Bit(process.readAllStandardError())));
        return {};
    }
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

} // namespace workdeck::bench

namespace workdeck::bench {

/// The resident set of this process, in bytes (0 where /proc is missing).
inline long residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.value(1).toLong() * 4096;
}

} // namespace workdeck::bench
