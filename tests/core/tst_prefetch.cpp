#include "Prefetch.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace workdeck;

class TestPrefetch : public QObject {
    Q_OBJECT

private slots:
    // PREFETCHW where the processor has it, and only there: elsewhere it may be an invalid
    // instruction. Linux lists it among a processor's flags as `3dnowprefetch`.
    void detectsPrefetchWAsTheKernelDoes()
    {
#if !defined(__x86_64__)
        QSKIP("PREFETCHW is an x86-64 instruction");
#endif
        QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
        if (!cpuinfo.open(QIODevice::ReadOnly))
            QSKIP("no /proc/cpuinfo to compare with");
        const QString text = QString::fromLatin1(cpuinfo.readAll());
        const QRegularExpression flags(QStringLiteral("^flags\\s*:(.*)$"),
                                       QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = flags.match(text);
        QVERIFY2(match.hasMatch(), "no flags line in /proc/cpuinfo");
        const bool listed = match.captured(1).split(u' ', Qt::SkipEmptyParts).contains(u"3dnowprefetch");
        QCOMPARE(detail::canPrefetchForWriting, listed);
    }
};

QTEST_APPLESS_MAIN(TestPrefetch)
#include "tst_prefetch.moc"
