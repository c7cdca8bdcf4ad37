// The composition root: reads the command line, then builds the database, the pool and, unless
// running headless, the window. No logic of its own lives here.
#include "AppSettings.h"
#include "CommandLine.h"
#include "HeadlessRun.h"
#include "MainWindow.h"
#include "QuitSignals.h"
#include "StatusReport.h"
#include "UserStore.h"
#include "Workspace.h"

#include <QApplication>
#include <QIcon>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <cstdio>

using namespace workdeck;

namespace {

enum Exit { Ok = 0, Invalid = 2, Failure = 3 };

QStringList argumentsOf(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

void nameApplication()
{
    // No organisation: the default database is ~/.local/share/workdeck/workdeck.sqlite.
    QCoreApplication::setApplicationName(QStringLiteral("workdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WORKDECK_VERSION));
}

QString databasePath(const CommandLine& line)
{
    return line.database.isEmpty() ? Database::defaultPath() : line.database;
}

QByteArray jsonString(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // ["…"] without the brackets
}

// The PNGs the packages install into the hicolor theme (resources/workdeck.qrc), so that the window
// and the task bar show the menu entry's icon even when Workdeck runs from a build tree.
QIcon applicationIcon()
{
    QIcon icon;
    for (const int size : {16, 24, 32, 48, 64, 128, 256}) {
        const QString side = QString::number(size);
        icon.addFile(u":/icons/hicolor/" + side + u'x' + side + u"/apps/io.github.workdeck.Workdeck.png",
                     QSize(size, size));
    }
    return icon;
}

int fail(int code, const QString& message)
{
    std::fprintf(stderr, "workdeck: %s\n", qPrintable(message));
    return code;
}

WorkerPool::Options poolOptions(const CommandLine& line)
{
    WorkerPool::Options options;
    if (line.workers)
        options.workers = *line.workers;
    return options;
}

int printStatus(const CommandLine& line)
{
    auto db = Database::open(databasePath(line));
    if (!db)
        return fail(Failure, db.error().message);
    const auto json = statusJson(**db);
    if (!json)
        return fail(Failure, json.error().message);
    std::printf("%s\n", json->constData());
    return Ok;
}

int addUser(const CommandLine& line)
{
    auto db = Database::open(databasePath(line));
    if (!db)
        return fail(Failure, db.error().message);
    const auto user = UserStore(**db).create({line.email, line.name});
    if (!user)
        return fail(user.error().invalidInput ? Invalid : Failure, user.error().message);
    // In the order of SPEC S5 (a QJsonObject would sort the keys).
    const QByteArray json = "{\"id\":" + jsonString(user->id) + ",\"email\":" + jsonString(user->email) +
                            ",\"name\":" + jsonString(user->name) + '}';
    std::printf("%s\n", json.constData());
    return Ok;
}

int runHeadless(const CommandLine& line)
{
    auto workspace = Workspace::open(databasePath(line), KindRegistry::builtin(), poolOptions(line));
    if (!workspace)
        return fail(Failure, workspace.error().message);
    HeadlessRun run(**workspace, line.batch);
    QuitSignals quit;
    QObject::connect(&quit, &QuitSignals::quitRequested, &run, &HeadlessRun::quit);
    QObject::connect(&run, &HeadlessRun::finished, QCoreApplication::instance(), &QCoreApplication::exit);
    QTimer::singleShot(0, &run, &HeadlessRun::start);
    return QCoreApplication::exec();
}

int runWindow(const CommandLine& line)
{
    QSettings stored;
    QStringList settingProblems;
    AppSettings settings = AppSettings::load(stored, &settingProblems);
    for (const QString& problem : settingProblems)
        std::fprintf(stderr, "workdeck: ignoring a stored setting: %s\n", qPrintable(problem));
    if (line.workers)
        settings.workers = *line.workers; // for this run; the Settings dialog makes it stick
    auto workspace = Workspace::open(databasePath(line), KindRegistry::builtin(), settings.applyTo({}));
    if (!workspace) {
        QMessageBox::critical(nullptr, QStringLiteral("Workdeck"),
                              u"Workdeck cannot open its database.\n\n" + workspace.error().message);
        return Failure;
    }
    Workspace& ws = **workspace;
    if (auto started = ws.start(); !started) {
        QMessageBox::critical(nullptr, QStringLiteral("Workdeck"), started.error().message);
        return Failure;
    }
    MainWindow window(ws, settings);
    window.show();
    if (!line.batch.isEmpty())
        QTimer::singleShot(0, &window, [&window, &line] { window.importBatch(line.batch); });
    QuitSignals quit;
    QObject::connect(&quit, &QuitSignals::quitRequested, &window, &QWidget::close);
    const int status = QApplication::exec();
    if (auto closed = ws.close(); !closed)
        return fail(Failure, closed.error().message);
    return status;
}

} // namespace

int main(int argc, char* argv[])
{
    const auto line = CommandLine::parse(argumentsOf(argc, argv));
    if (!line) {
        std::fprintf(stderr, "workdeck: %s (see workdeck --help)\n", qPrintable(line.error().message));
        return Invalid;
    }
    switch (line->action) {
    case CommandLine::Action::Version:
        std::printf("workdeck %s\n", WORKDECK_VERSION);
        return Ok;
    case CommandLine::Action::Help:
        std::printf("%s", qPrintable(CommandLine::helpText()));
        return Ok;
    case CommandLine::Action::Status: {
        QCoreApplication app(argc, argv);
        nameApplication();
        return printStatus(*line);
    }
    case CommandLine::Action::AddUser: {
        QCoreApplication app(argc, argv);
        nameApplication();
        return addUser(*line);
    }
    case CommandLine::Action::Headless: {
        QCoreApplication app(argc, argv);
        nameApplication();
        return runHeadless(*line);
    }
    case CommandLine::Action::Window:
        break;
    }
    QApplication app(argc, argv);
    nameApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Workdeck"));
    QApplication::setWindowIcon(applicationIcon());
    // Wayland compositors and task bars find the menu entry, and so the icon, by this name.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.workdeck.Workdeck"));
    return runWindow(*line);
}
