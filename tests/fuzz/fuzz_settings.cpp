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
    // A new name per input: QSettings keeps what it read of a file in a process-wide cache and
    // reads the file again only when its size or modification time changed, which two inputs
    // of the same size written in the same millisecond would not show. The cache would then
    // hand the previous input to load() while load() checks the new one.
    static quint64 count = 0;
    const QString path = dir.filePath(u"workdeck-" + QString::number(count++) + u".conf");
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
    QFile::remove(path);
    return 0;
}
