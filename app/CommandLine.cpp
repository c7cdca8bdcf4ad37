#include "CommandLine.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace {

struct Options {
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")};
    QCommandLineOption version{QStringLiteral("version"), QStringLiteral("Show the version.")};
    QCommandLineOption db{
        QStringLiteral("db"),
        QStringLiteral("Use the database PATH instead of the default one (created if missing)."),
        QStringLiteral("PATH")};
    QCommandLineOption workers{QStringLiteral("workers"),
                               QStringLiteral("Run N tasks at a time (1-256; default: the number of CPUs)."),
                               QStringLiteral("N")};
    QCommandLineOption batch{QStringLiteral("batch"),
                             QStringLiteral("Import the tasks of a JSON Lines FILE."),
                             QStringLiteral("FILE")};
    QCommandLineOption headless{
        QStringLiteral("headless"),
        QStringLiteral("Run without a window until no task is pending, then print a JSON summary.")};
    QCommandLineOption status{
        QStringLiteral("status"),
        QStringLiteral("Print the number of users and of tasks in each state as JSON.")};
    QCommandLineOption addUser{QStringLiteral("add-user"),
                               QStringLiteral("Add a user with this EMAIL (needs --name)."),
                               QStringLiteral("EMAIL")};
    QCommandLineOption name{QStringLiteral("name"), QStringLiteral("The NAME of the user --add-user adds."),
                            QStringLiteral("NAME")};

    void addTo(QCommandLineParser& parser) const
    {
        parser.setApplicationDescription(QStringLiteral("Run and watch batches of local tasks."));
        parser.addOptions({help, version, db, workers, batch, headless, status, addUser, name});
    }
};

workdeck::Error problem(const QString& text)
{
    return workdeck::Error{text, true};
}

} // namespace

workdeck::Result<CommandLine> CommandLine::parse(const QStringList& arguments)
{
    QCommandLineParser parser;
    const Options options;
    options.addTo(parser);
    if (!parser.parse(arguments))
        return problem(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return problem(u"unexpected argument '" + parser.positionalArguments().constFirst() + u'\'');

    CommandLine line;
    if (parser.isSet(options.help)) {
        line.action = Action::Help;
        return line;
    }
    if (parser.isSet(options.version)) {
        line.action = Action::Version;
        return line;
    }
    const int modes = int(parser.isSet(options.headless)) + int(parser.isSet(options.status)) +
                      int(parser.isSet(options.addUser));
    if (modes > 1)
        return problem(QStringLiteral("--headless, --status and --add-user cannot be combined"));
    for (const QCommandLineOption* single :
         {&options.db, &options.workers, &options.batch, &options.addUser, &options.name}) {
        if (parser.values(*single).size() > 1)
            return problem(u"--" + single->names().constFirst() + u" is given more than once");
    }

    if (parser.isSet(options.db)) {
        line.database = parser.value(options.db);
        if (line.database.isEmpty())
            return problem(QStringLiteral("--db: the path is empty"));
        if (QFileInfo(line.database).isDir())
            return problem(u"--db: " + line.database + u" is a folder; name a file");
    }
    if (parser.isSet(options.workers)) {
        bool number = false;
        const int workers = parser.value(options.workers).toInt(&number);
        if (!number || workers < 1 || workers > MaxWorkers)
            return problem(u"--workers: must be a whole number from 1 to " + QString::number(MaxWorkers) +
                           u", not '" + parser.value(options.workers) + u'\'');
        line.workers = workers;
    }
    if (parser.isSet(options.batch)) {
        line.batch = parser.value(options.batch);
        const QFileInfo file(line.batch);
        if (!file.exists())
            return problem(u"--batch: " + line.batch + u" does not exist");
        if (!file.isFile() || !file.isReadable())
            return problem(u"--batch: " + line.batch + u" is not a readable file");
    }
    if (parser.isSet(options.name) && !parser.isSet(options.addUser))
        return problem(QStringLiteral("--name is only used with --add-user"));

    if (parser.isSet(options.headless)) {
        line.action = Action::Headless;
    } else if (parser.isSet(options.status)) {
        line.action = Action::Status;
        if (!line.batch.isEmpty())
            return problem(QStringLiteral("--status does not import; drop --batch"));
    } else if (parser.isSet(options.addUser)) {
        line.action = Action::AddUser;
        if (!parser.isSet(options.name))
            return problem(QStringLiteral("--add-user needs --name NAME"));
        if (!line.batch.isEmpty())
            return problem(QStringLiteral("--add-user does not import; drop --batch"));
        line.email = parser.value(options.addUser);
        line.name = parser.value(options.name);
    }
    return line;
}

QString CommandLine::helpText()
{
    QCommandLineParser parser;
    const Options options;
    options.addTo(parser);
    QString text = parser.helpText();
    text.replace(QStringLiteral("<executable_name>"), QStringLiteral("workdeck"));
    return text + QStringLiteral("\nExit status of --headless: 0 every task succeeded, 1 some failed, were "
                                 "cancelled or the run was interrupted, 2 invalid input (nothing imported), "
                                 "3 database or runtime error.\n");
}
