#include "KindRegistry.h"
#include "MainWindow.h"
#include "WorkerPool.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Workdeck"));
    QApplication::setOrganizationName(QStringLiteral("Workdeck"));
    QApplication::setApplicationVersion(QStringLiteral(WORKDECK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run and watch batches of local tasks."));
    parser.addHelpOption();
    parser.addVersionOption();
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "workdeck: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("workdeck %s\n", WORKDECK_VERSION);
        return 0;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);

    workdeck::WorkerPool pool(workdeck::KindRegistry::builtin());
    workdeck::MainWindow window(pool);
    window.show();
    const int status = QApplication::exec();
    pool.shutdown();
    return status;
}
