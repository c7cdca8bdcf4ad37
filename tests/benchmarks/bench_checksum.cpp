// How close the checksum kind comes to OpenSSL's own speed: raw EVP SHA-256 over memory is the
// ceiling, Digest over the same memory shows the wrapper's cost, and ChecksumKind::run over a
// file in the page cache adds reading it. The goal is both within 10% of the ceiling. Wall-clock
// time, because reading the file is kernel time a person waits for too.

#include "ChecksumKind.h"
#include "Digest.h"
#include "TaskContext.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace workdeck;

namespace {

constexpr qsizetype BufferSize = 256 * 1024 * 1024;

const QByteArray& buffer()
{
    static const QByteArray data = [] {
        QByteArray bytes(BufferSize, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 131 + i / 4099) & 0xFF);
        return bytes;
    }();
    return data;
}

// Written once per run and read back once, so every timed iteration finds it in the page cache.
const QString& cachedFile()
{
    static QTemporaryDir dir;
    static const QString path = [] {
        if (!dir.isValid()) {
            std::fprintf(stderr, "cannot create a temporary folder\n");
            std::abort();
        }
        const QString file = dir.filePath(QStringLiteral("256MiB.bin"));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(buffer()) != buffer().size()) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(file));
            std::abort();
        }
        out.close();
        QFile in(file);
        if (in.open(QIODevice::ReadOnly))
            benchmark::DoNotOptimize(in.readAll().size());
        return file;
    }();
    return path;
}

void BM_OpenSslSha256(benchmark::State& state)
{
    const QByteArray& data = buffer();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    for (auto _ : state) {
        EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
        EVP_DigestUpdate(context.get(), data.constData(), size_t(data.size()));
        EVP_DigestFinal_ex(context.get(), digest, &length);
        benchmark::DoNotOptimize(digest);
    }
    state.SetBytesProcessed(state.iterations() * data.size());
}
BENCHMARK(BM_OpenSslSha256)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

void BM_DigestSha256(benchmark::State& state)
{
    const QByteArray& data = buffer();
    for (auto _ : state) {
        Digest digest(Digest::Algorithm::Sha256);
        digest.addData(data);
        benchmark::DoNotOptimize(digest.hexResult());
    }
    state.SetBytesProcessed(state.iterations() * data.size());
}
BENCHMARK(BM_DigestSha256)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

void BM_ChecksumKindSha256File(benchmark::State& state)
{
    const QString& path = cachedFile();
    const ChecksumKind kind;
    const auto params = kind.parseParams({{QStringLiteral("path"), path}}, 0);
    if (!params) {
        state.SkipWithError(qPrintable(params.error().message));
        return;
    }
    for (auto _ : state) {
        TaskContext context(1, 1, TaskContext::Clock::now() + std::chrono::hours(1));
        const AttemptOutcome outcome = kind.run(**params, context);
        if (outcome.status != AttemptOutcome::Status::Succeeded) {
            state.SkipWithError(qPrintable(outcome.error));
            return;
        }
        benchmark::DoNotOptimize(outcome.output);
    }
    state.SetBytesProcessed(state.iterations() * BufferSize);
}
BENCHMARK(BM_ChecksumKindSha256File)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

// Every algorithm over 64 MiB of the same memory, to show what choosing one costs.
void BM_DigestAlgorithm(benchmark::State& state)
{
    const auto algorithm = static_cast<Digest::Algorithm>(state.range(0));
    const QByteArrayView data = QByteArrayView(buffer()).first(64 * 1024 * 1024);
    state.SetLabel(Digest::algorithmName(algorithm).toStdString());
    for (auto _ : state) {
        Digest digest(algorithm);
        digest.addData(data);
        benchmark::DoNotOptimize(digest.hexResult());
    }
    state.SetBytesProcessed(state.iterations() * data.size());
}
BENCHMARK(BM_DigestAlgorithm)
    ->DenseRange(0, int(Digest::Algorithm::Blake2b_256))
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
