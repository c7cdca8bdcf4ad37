// The sample batches shipped in resources/samples load as they are.
#include "BatchLoader.h"

#include <QDir>
#include <QTest>

using namespace workdeck;

class TestSamples : public QObject {
    Q_OBJECT

private slots:
    void loads_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qint64>("tasks");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("programs");
        QTest::newRow("load test") << QStringLiteral("load-test.jsonl") << qint64(1500)
                                   << QStringLiteral("simulate") << QStringList();
        QTest::newRow("checksums") << QStringLiteral("checksum-licenses.csv") << qint64(11)
                                   << QStringLiteral("checksum") << QStringList();
        QTest::newRow("commands") << QStringLiteral("commands.json") << qint64(9) << QStringLiteral("command")
                                  << QStringList{QStringLiteral("df"),    QStringLiteral("du"),
                                                 QStringLiteral("env"),   QStringLiteral("false"),
                                                 QStringLiteral("ls"),    QStringLiteral("pwd"),
                                                 QStringLiteral("sleep"), QStringLiteral("uname")};
    }

    void loads()
    {
        QFETCH(QString, file);
        QFETCH(qint64, tasks);
        QFETCH(QString, kind);
        QFETCH(QStringList, programs);
        BatchLoader loader(KindRegistry::builtin(), {});
        const auto batch = loader.load(QDir(QStringLiteral(WORKDECK_SAMPLES)).filePath(file));
        QVERIFY2(batch.ok(), qPrintable(batch.ok() ? QString() : batch.error().message));
        QCOMPARE(qint64(batch->specs.size()), tasks);
        QCOMPARE(batch->summary.byKind().value(kind), tasks);
        QCOMPARE(batch->summary.programs(), programs);
    }

    void everySampleIsCovered()
    {
        const QStringList files =
            QDir(QStringLiteral(WORKDECK_SAMPLES))
                .entryList({QStringLiteral("*.jsonl"), QStringLiteral("*.json"), QStringLiteral("*.csv")},
                           QDir::Files, QDir::Name);
        QCOMPARE(files, (QStringList{QStringLiteral("checksum-licenses.csv"), QStringLiteral("commands.json"),
                                     QStringLiteral("load-test.jsonl")}));
    }
};

QTEST_GUILESS_MAIN(TestSamples)
#include "tst_samples.moc"
