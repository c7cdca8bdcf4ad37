#include "Digest.h"

#include <QTest>

#include <utility>

using workdeck::Digest;

class tst_Digest : public QObject {
    Q_OBJECT

private slots:
    void knownVectors_data();
    void knownVectors();
    void chunkedMatchesOneShot_data();
    void chunkedMatchesOneShot();
    void names_data();
    void names();
    void unknownNameRejected_data();
    void unknownNameRejected();
    void algorithmNamesListsDefaultFirst();
    void hexResultIsStable();
    void moveKeepsState();
};

namespace {

QByteArray patternedData(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 131 + i / 257) & 0xFF);
    return data;
}

void addAlgorithmColumns()
{
    QTest::addColumn<Digest::Algorithm>("algorithm");
}

} // namespace

void tst_Digest::knownVectors_data()
{
    addAlgorithmColumns();
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray million(1'000'000, 'a');
    struct Row {
        const char* name;
        Digest::Algorithm algorithm;
        const char* empty;
        const char* abc;
        const char* millionA;
    };
    const Row rows[] = {
        {"md5", Digest::Algorithm::Md5, "d41d8cd98f00b204e9800998ecf8427e",
         "900150983cd24fb0d6963f7d28e17f72", "7707d6ae4e027c70eea2a935c2296f21"},
        {"sha1", Digest::Algorithm::Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
         "a9993e364706816aba3e25717850c26c9cd0d89d", "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
        {"sha256", Digest::Algorithm::Sha256,
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
        {"sha512", Digest::Algorithm::Sha512,
         "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b"
         "931bd"
         "47417a81a538327af927da3e",
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454"
         "d44"
         "23643ce80e2a9ac94fa54ca49f",
         "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb0"
         "09c"
         "5c2c49aa2e4eadb217ad8cc09b"},
        {"sha3-256", Digest::Algorithm::Sha3_256,
         "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
         "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
         "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1"},
        {"blake2b-256", Digest::Algorithm::Blake2b_256,
         "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
         "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
         "0741850f36cba4259628355d1073e24ddb9ca0e1bfac36fd39ae5dc2101e23a4"},
    };
    for (const Row& row : rows) {
        QTest::addRow("%s empty", row.name) << row.algorithm << QByteArray() << QByteArray(row.empty);
        QTest::addRow("%s abc", row.name) << row.algorithm << QByteArray("abc") << QByteArray(row.abc);
        QTest::addRow("%s million a", row.name) << row.algorithm << million << QByteArray(row.millionA);
    }
}

void tst_Digest::knownVectors()
{
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    Digest digest(algorithm);
    digest.addData(input);
    const QByteArray hex = digest.hexResult();
    QCOMPARE(hex, expected);
    QCOMPARE(hex.size(), 2 * Digest::digestLength(algorithm));
}

void tst_Digest::chunkedMatchesOneShot_data()
{
    addAlgorithmColumns();
    QTest::addColumn<qsizetype>("chunkSize");

    const QStringList names = Digest::algorithmNames();
    for (const QString& name : names) {
        const Digest::Algorithm algorithm = *Digest::algorithmFromName(name);
        for (const qsizetype chunk :
             {qsizetype(1), qsizetype(7), qsizetype(64), qsizetype(4096), qsizetype(65537)})
            QTest::addRow("%s by %lld", qPrintable(name), static_cast<long long>(chunk))
                << algorithm << chunk;
    }
}

void tst_Digest::chunkedMatchesOneShot()
{
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(qsizetype, chunkSize);

    // Not a multiple of any block size, so the last chunk is always partial.
    const QByteArray data = patternedData(200'003);

    Digest oneShot(algorithm);
    oneShot.addData(data);

    Digest chunked(algorithm);
    const QByteArrayView view(data);
    for (qsizetype offset = 0; offset < view.size(); offset += chunkSize)
        chunked.addData(view.sliced(offset, std::min(chunkSize, view.size() - offset)));

    QCOMPARE(chunked.hexResult(), oneShot.hexResult());
}

void tst_Digest::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Digest::Algorithm>("algorithm");
    QTest::addColumn<int>("length");

    QTest::newRow("sha256") << QStringLiteral("sha256") << Digest::Algorithm::Sha256 << 32;
    QTest::newRow("md5") << QStringLiteral("md5") << Digest::Algorithm::Md5 << 16;
    QTest::newRow("sha1") << QStringLiteral("sha1") << Digest::Algorithm::Sha1 << 20;
    QTest::newRow("sha512") << QStringLiteral("sha512") << Digest::Algorithm::Sha512 << 64;
    QTest::newRow("sha3-256") << QStringLiteral("sha3-256") << Digest::Algorithm::Sha3_256 << 32;
    QTest::newRow("blake2b-256") << QStringLiteral("blake2b-256") << Digest::Algorithm::Blake2b_256 << 32;
}

void tst_Digest::names()
{
    QFETCH(QString, name);
    QFETCH(Digest::Algorithm, algorithm);
    QFETCH(int, length);

    const auto parsed = Digest::algorithmFromName(name);
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, algorithm);
    QCOMPARE(Digest::algorithmName(algorithm), name);
    QCOMPARE(Digest::digestLength(algorithm), length);
    QVERIFY(Digest::algorithmNames().contains(name));
}

void tst_Digest::unknownNameRejected_data()
{
    QTest::addColumn<QString>("name");

    QTest::newRow("empty") << QString();
    QTest::newRow("unknown") << QStringLiteral("crc32");
    QTest::newRow("upper case") << QStringLiteral("SHA256");
    QTest::newRow("no dash") << QStringLiteral("sha3256");
    QTest::newRow("trailing space") << QStringLiteral("md5 ");
    QTest::newRow("full blake2b") << QStringLiteral("blake2b-512");
}

void tst_Digest::unknownNameRejected()
{
    QFETCH(QString, name);
    QVERIFY(!Digest::algorithmFromName(name).has_value());
}

void tst_Digest::algorithmNamesListsDefaultFirst()
{
    const QStringList names = Digest::algorithmNames();
    QCOMPARE(names.size(), 6);
    QCOMPARE(names.first(), Digest::algorithmName(Digest::DefaultAlgorithm));
    QCOMPARE(names.first(), QStringLiteral("sha256"));
}

void tst_Digest::hexResultIsStable()
{
    Digest digest(Digest::Algorithm::Sha256);
    digest.addData("abc");
    const QByteArray first = digest.hexResult();
    QCOMPARE(digest.hexResult(), first);
    QCOMPARE(first, QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

void tst_Digest::moveKeepsState()
{
    // Half the input before the move, half after: the moved-to digest must carry the state over.
    Digest original(Digest::Algorithm::Sha1);
    original.addData("a");
    Digest moved(std::move(original));
    moved.addData("bc");
    QCOMPARE(moved.hexResult(), QByteArray("a9993e364706816aba3e25717850c26c9cd0d89d"));

    Digest blake(Digest::Algorithm::Blake2b_256);
    blake.addData("ab");
    Digest assigned(Digest::Algorithm::Md5);
    assigned = std::move(blake);
    assigned.addData("c");
    QCOMPARE(assigned.algorithm(), Digest::Algorithm::Blake2b_256);
    QCOMPARE(assigned.hexResult(),
             QByteArray("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
}

QTEST_GUILESS_MAIN(tst_Digest)
#include "tst_digest.moc"
