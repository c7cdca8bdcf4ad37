#include "Prefetch.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <array>

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

    void leavesWhatItFetchesAsItWas()
    {
        // An object across two cache lines, as a 40-byte record is one time in two.
        alignas(64) std::array<unsigned char, 128> bytes{};
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<unsigned char>(i);
        prefetchForWriting(bytes.data() + 40, 40);
        for (std::size_t i = 0; i < bytes.size(); ++i)
            QCOMPARE(bytes[i], static_cast<unsigned char>(i));
    }
};

QTEST_APPLESS_MAIN(TestPrefetch)
#include "tst_prefetch.moc"
