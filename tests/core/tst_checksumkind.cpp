#include "ChecksumKind.h"
#include "TaskContext.h"
#include "TestPrinting.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

#include <sys/stat.h>

using namespace workdeck;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class tst_ChecksumKind : public QObject {
    Q_OBJECT

private slots:
    void init();

    void parseRejects_data();
    void parseRejects();
    void parseAccepts_data();
    void parseAccepts();
    void toJsonRoundTrips_data();
    void toJsonRoundTrips();

    void runHashesFile_data();
    void runHashesFile();
    void expectation_data();
    void expectation();
    void unreadablePathsFail_data();
    void unreadablePathsFail();
    void stopRequestedBeforeRun_data();
    void stopRequestedBeforeRun();

private:
    QString writeFile(const QString& name, const QByteArray& contents);
    static TaskContext::Clock::time_point farDeadline() { return TaskContext::Clock::now() + 1h; }

    std::unique_ptr<QTemporaryDir> m_dir;
    ChecksumKind m_kind;
};

namespace {

const QString sha256OfAbc =
    QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

QByteArray patternedData(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 131 + i / 4099) & 0xFF);
    return data;
}

} // namespace

void tst_ChecksumKind::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_ChecksumKind::writeFile(const QString& name, const QByteArray& contents)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        qFatal("cannot write the test file %s", qPrintable(path));
    return path;
}

void tst_ChecksumKind::parseRejects_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("error");

    const QString path = QStringLiteral("/tmp/x");
    QTest::newRow("missing path") << QJsonObject{} << QStringLiteral("path: is required");
    QTest::newRow("empty path") << QJsonObject{{u"path"_s, u""_s}}
                                << QStringLiteral("path: must not be empty");
    QTest::newRow("path number") << QJsonObject{{u"path"_s, 5}}
                                 << QStringLiteral("path: must be a string, not a number");
    QTest::newRow("path array") << QJsonObject{{u"path"_s, QJsonArray{path}}}
                                << QStringLiteral("path: must be a string, not an array");
    QTest::newRow("algorithm number") << QJsonObject{{u"path"_s, path}, {u"algorithm"_s, 256}}
                                      << QStringLiteral("algorithm: must be a string, not a number");
    QTest::newRow("algorithm unknown")
        << QJsonObject{{u"path"_s, path}, {u"algorithm"_s, u"crc32"_s}}
        << QStringLiteral(
               "algorithm: must be one of sha256, md5, sha1, sha512, sha3-256, blake2b-256, not \"crc32\"");
    QTest::newRow("algorithm empty")
        << QJsonObject{{u"path"_s, path}, {u"algorithm"_s, u""_s}}
        << QStringLiteral(
               "algorithm: must be one of sha256, md5, sha1, sha512, sha3-256, blake2b-256, not \"\"");
    QTest::newRow("algorithm upper case")
        << QJsonObject{{u"path"_s, path}, {u"algorithm"_s, u"SHA256"_s}}
        << QStringLiteral(
               "algorithm: must be one of sha256, md5, sha1, sha512, sha3-256, blake2b-256, not \"SHA256\"");
    QTest::newRow("expect number") << QJsonObject{{u"path"_s, path}, {u"expect"_s, 12}}
                                   << QStringLiteral("expect: must be a string, not a number");
    QTest::newRow("expect too short") << QJsonObject{{u"path"_s, path}, {u"expect"_s, u"abcd"_s}}
                                      << QStringLiteral("expect: must be 64 hex digits for sha256, not 4");
    QTest::newRow("expect empty") << QJsonObject{{u"path"_s, path}, {u"expect"_s, u""_s}}
                                  << QStringLiteral("expect: must be 64 hex digits for sha256, not 0");
    QTest::newRow("expect sha256 length for md5")
        << QJsonObject{{u"path"_s, path}, {u"algorithm"_s, u"md5"_s}, {u"expect"_s, sha256OfAbc}}
        << QStringLiteral("expect: must be 32 hex digits for md5, not 64");
    QTest::newRow("expect not hex")
        << QJsonObject{{u"path"_s, path}, {u"expect"_s, QString(sha256OfAbc).replace(0, 1, u'g')}}
        << QStringLiteral("expect: must be the hexadecimal sha256 digest (digits 0-9 and a-f only)");
    QTest::newRow("expect with spaces")
        << QJsonObject{{u"path"_s, path}, {u"expect"_s, QString(u" "_s + sha256OfAbc.left(63))}}
        << QStringLiteral("expect: must be the hexadecimal sha256 digest (digits 0-9 and a-f only)");
    QTest::newRow("unknown field") << QJsonObject{{u"path"_s, path}, {u"file"_s, path}}
                                   << QStringLiteral("file: unknown field");
}

void tst_ChecksumKind::parseRejects()
{
    QFETCH(QJsonObject, params);
    QFETCH(QString, error);

    const auto parsed = m_kind.parseParams(params, 0);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message, error);
}

void tst_ChecksumKind::parseAccepts_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("path");
    QTest::addColumn<Digest::Algorithm>("algorithm");
    QTest::addColumn<QString>("expect");

    QTest::newRow("path only") << QJsonObject{{u"path"_s, u"a.bin"_s}} << u"a.bin"_s
                               << Digest::Algorithm::Sha256 << QString();
    QTest::newRow("md5") << QJsonObject{{u"path"_s, u"a.bin"_s}, {u"algorithm"_s, u"md5"_s}} << u"a.bin"_s
                         << Digest::Algorithm::Md5 << QString();
    QTest::newRow("blake2b-256 expect")
        << QJsonObject{{u"path"_s, u"/x"_s},
                       {u"algorithm"_s, u"blake2b-256"_s},
                       {u"expect"_s, u"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"_s}}
        << u"/x"_s << Digest::Algorithm::Blake2b_256
        << u"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"_s;
    QTest::newRow("upper-case expect stored lower")
        << QJsonObject{{u"path"_s, u"/x"_s}, {u"expect"_s, sha256OfAbc.toUpper()}} << u"/x"_s
        << Digest::Algorithm::Sha256 << sha256OfAbc;
}

void tst_ChecksumKind::parseAccepts()
{
    QFETCH(QJsonObject, params);
    QFETCH(QString, path);
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(QString, expect);

    const auto parsed = m_kind.parseParams(params, 0);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const auto& checksum = static_cast<const ChecksumParams&>(**parsed);
    QCOMPARE(checksum.path, path);
    QCOMPARE(checksum.algorithm, algorithm);
    QCOMPARE(checksum.expect, expect);
}

void tst_ChecksumKind::toJsonRoundTrips_data()
{
    QTest::addColumn<QJsonObject>("params");

    QTest::newRow("path only") << QJsonObject{{u"path"_s, u"a.bin"_s}};
    QTest::newRow("all fields") << QJsonObject{{u"path"_s, u"/data/a.bin"_s},
                                               {u"algorithm"_s, u"sha1"_s},
                                               {u"expect"_s, u"A9993E364706816ABA3E25717850C26C9CD0D89D"_s}};
    QTest::newRow("sha3-256") << QJsonObject{{u"path"_s, u"b"_s}, {u"algorithm"_s, u"sha3-256"_s}};
}

void tst_ChecksumKind::toJsonRoundTrips()
{
    QFETCH(QJsonObject, params);

    const auto first = m_kind.parseParams(params, 0);
    QVERIFY(first.ok());
    const QJsonObject json = (*first)->toJson();
    const auto second = m_kind.parseParams(json, 0);
    QVERIFY(second.ok());
    QCOMPARE((*second)->toJson(), json);

    const auto& a = static_cast<const ChecksumParams&>(**first);
    const auto& b = static_cast<const ChecksumParams&>(**second);
    QCOMPARE(b.path, a.path);
    QCOMPARE(b.algorithm, a.algorithm);
    QCOMPARE(b.expect, a.expect);
}

void tst_ChecksumKind::runHashesFile_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QCryptographicHash::Algorithm>("reference");
    QTest::addColumn<qsizetype>("size");

    const QList<QPair<QString, QCryptographicHash::Algorithm>> algorithms{
        {u"sha256"_s, QCryptographicHash::Sha256},     {u"md5"_s, QCryptographicHash::Md5},
        {u"sha1"_s, QCryptographicHash::Sha1},         {u"sha512"_s, QCryptographicHash::Sha512},
        {u"sha3-256"_s, QCryptographicHash::Sha3_256}, {u"blake2b-256"_s, QCryptographicHash::Blake2b_256},
    };
    // Empty, smaller than a chunk, exactly one chunk, and several chunks with a partial last one.
    const qsizetype sizes[] = {0, 1000, ChecksumKind::ChunkSize, 3 * ChecksumKind::ChunkSize + 12345};
    for (const auto& [name, reference] : algorithms) {
        for (const qsizetype size : sizes)
            QTest::addRow("%s %lld bytes", qPrintable(name), static_cast<long long>(size))
                << name << reference << size;
    }
}

void tst_ChecksumKind::runHashesFile()
{
    QFETCH(QString, algorithm);
    QFETCH(QCryptographicHash::Algorithm, reference);
    QFETCH(qsizetype, size);

    const QByteArray contents = patternedData(size);
    const QString path = writeFile(u"data.bin"_s, contents);

    const auto params = m_kind.parseParams({{u"path"_s, path}, {u"algorithm"_s, algorithm}}, 0);
    QVERIFY(params.ok());
    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = m_kind.run(**params, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Succeeded);
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.output, QString::fromLatin1(QCryptographicHash::hash(contents, reference).toHex()));
}

void tst_ChecksumKind::expectation_data()
{
    QTest::addColumn<QString>("expect");
    QTest::addColumn<AttemptOutcome::Status>("status");
    QTest::addColumn<QString>("error");

    const QString other = QString(64, u'0');
    QTest::newRow("match") << sha256OfAbc << AttemptOutcome::Status::Succeeded << QString();
    QTest::newRow("match upper case")
        << sha256OfAbc.toUpper() << AttemptOutcome::Status::Succeeded << QString();
    QTest::newRow("mismatch") << other << AttemptOutcome::Status::Failed
                              << u"checksum mismatch: expected "_s + other + u", got "_s + sha256OfAbc;
}

void tst_ChecksumKind::expectation()
{
    QFETCH(QString, expect);
    QFETCH(AttemptOutcome::Status, status);
    QFETCH(QString, error);

    const QString path = writeFile(u"abc.txt"_s, "abc");
    const auto params = m_kind.parseParams({{u"path"_s, path}, {u"expect"_s, expect}}, 0);
    QVERIFY(params.ok());
    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = m_kind.run(**params, context);

    QCOMPARE(outcome.status, status);
    QCOMPARE(outcome.error, error);
    // The digest is the output either way, so a mismatch shows what the file really hashes to.
    QCOMPARE(outcome.output, sha256OfAbc);
}

void tst_ChecksumKind::unreadablePathsFail_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("create");

    QTest::newRow("missing file") << u"missing.bin"_s << QString();
    QTest::newRow("directory") << u"folder"_s << u"directory"_s;
    // Would block the worker in open() until someone writes to it.
    QTest::newRow("named pipe") << u"pipe"_s << u"fifo"_s;
}

void tst_ChecksumKind::unreadablePathsFail()
{
    QFETCH(QString, name);
    QFETCH(QString, create);

    const QString path = m_dir->filePath(name);
    if (create == u"directory")
        QVERIFY(QDir(m_dir->path()).mkdir(name));
    else if (create == u"fifo")
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);

    const auto params = m_kind.parseParams({{u"path"_s, path}}, 0);
    QVERIFY(params.ok());
    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = m_kind.run(**params, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Failed);
    QVERIFY2(outcome.error.startsWith(u"cannot open "_s + path + u": "), qPrintable(outcome.error));
    // The reason after the colon comes from the system and must not be blank.
    QVERIFY2(outcome.error.size() > (u"cannot open "_s + path + u": ").size(), qPrintable(outcome.error));
    QCOMPARE(outcome.output, QString());
}

void tst_ChecksumKind::stopRequestedBeforeRun_data()
{
    QTest::addColumn<bool>("deadlinePassed");

    QTest::newRow("requestStop") << false;
    QTest::newRow("deadline in the past") << true;
}

void tst_ChecksumKind::stopRequestedBeforeRun()
{
    QFETCH(bool, deadlinePassed);

    const QString path = writeFile(u"data.bin"_s, patternedData(2 * ChecksumKind::ChunkSize));
    const auto params = m_kind.parseParams({{u"path"_s, path}}, 0);
    QVERIFY(params.ok());

    TaskContext context(1, 1, deadlinePassed ? TaskContext::Clock::now() - 1s : farDeadline());
    if (!deadlinePassed)
        context.requestStop(TaskContext::StopReason::Cancel);
    const AttemptOutcome outcome = m_kind.run(**params, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Stopped);
    QCOMPARE(outcome.error, QString());
}

QTEST_GUILESS_MAIN(tst_ChecksumKind)
#include "tst_checksumkind.moc"
