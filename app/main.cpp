#include "KindRegistry.h"
#include "MainWindow.h"
#include "WorkerPool.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

namespace {

QStringList argumentsOf(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

} // namespace

int main(int argc, char* argv[])
{
    // The command line is read before any window system is touched, so that --version,
    // --help and mistakes work without a display.
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run and watch batches of local tasks."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    parser.addOption(help);
    parser.addOption(version);
    if (!parser.parse(argumentsOf(argc, argv))) {
        std::fprintf(stderr, "workdeck: %s (see workdeck --help)\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "workdeck: unexpected argument '%s' (see workdeck --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }
    if (parser.isSet(version)) {
        std::printf("workdeck %s\n", WORKDECK_VERSION);
        return 0;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text.replace(QStringLiteral("<executable_name>"), QStringLiteral("workdeck"));
        std::printf("%s", qPrintable(text));
        return 0;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Workdeck"));
    QApplication::setOrganizationName(QStringLiteral("Workdeck"));
    QApplication::setApplicationVersion(QStringLiteral(WORKDECK_VERSION));

    workdeck::WorkerPool pool(workdeck::KindRegistry::builtin());
    workdeck::MainWindow window(pool);
    window.show();
    const int status = QApplication::exec();
    pool.shutdown();
    return status;
}
