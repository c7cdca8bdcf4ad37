// libFuzzer target: stored settings (SPEC S4) read back from a hand-edited or damaged file.
// The input is the settings file itself, in QSettings' INI format.
#include "AppSettings.h"

#include <QFile>
#include <QSettings>
#include <QStringList>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("workdeck.conf"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            std::abort();
        file.write(reinterpret_cast<const char*>(data), static_cast<qint64>(size));
    }
    QSettings settings(path, QSettings::IniFormat);
    QStringList problems;
    const workdeck::AppSettings loaded = workdeck::AppSettings::load(settings, &problems);
    // Whatever the file holds, what is loaded is valid, and every fallback is explained.
    if (!loaded.problems().isEmpty())
        std::abort();
    for (const QString& problem : problems) {
        if (problem.isEmpty())
            std::abort();
    }
    return 0;
}
