#include <QProcess>
#include <QTest>

class TestCommandLine : public QObject {
    Q_OBJECT

private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Run run(const QStringList& arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY")); // none of these may need a window system
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(WORKDECK_BINARY), arguments);
        if (!process.waitForFinished(30'000))
            return {};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromLocal8Bit(process.readAllStandardOutput()),
                QString::fromLocal8Bit(process.readAllStandardError())};
    }

private slots:
    void printsTheVersion()
    {
        const Run r = run({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("workdeck " WORKDECK_VERSION "\n"));
    }

    void printsHelp()
    {
        const Run r = run({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("Usage: workdeck [options]")));
        QVERIFY(r.out.contains(QStringLiteral("--version")));
    }

    void rejectsBadArgumentsWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--bogus")}
            << QStringLiteral("workdeck: Unknown option 'bogus'. (see workdeck --help)\n");
        QTest::newRow("stray argument")
            << QStringList{QStringLiteral("extra")}
            << QStringLiteral("workdeck: unexpected argument 'extra' (see workdeck --help)\n");
        QTest::newRow("binary junk") << QStringList{QString::fromLatin1("--\xff\xfe")}
                                     << QStringLiteral("workdeck: Unknown option");
    }

    void rejectsBadArgumentsWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run r = run(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(message), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
