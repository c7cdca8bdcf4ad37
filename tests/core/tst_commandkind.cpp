#include "CommandKind.h"
#include "OutputTail.h"
#include "TaskContext.h"
#include "TestPrinting.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <chrono>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace workdeck;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

TaskContext::Clock::time_point farDeadline()
{
    return TaskContext::Clock::now() + 1h;
}

// True once `pid` no longer runs. A killed grandchild is re-parented to init, which may not
// have reaped it yet; a zombie is dead, so it counts as gone.
bool processGone(pid_t pid)
{
    if (::kill(pid, 0) != 0)
        return errno == ESRCH;
    QFile stat(u"/proc/"_s + QString::number(pid) + u"/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const qsizetype nameEnd = line.lastIndexOf(')');
    if (nameEnd < 0 || nameEnd + 2 >= line.size())
        return false;
    const char state = line.at(nameEnd + 2);
    return state == 'Z' || state == 'X';
}

// Stops a command at a known point of its script, without polling or sleeping: the script writes
// a line to a FIFO when it is ready, and a thread blocked on that FIFO then requests the stop.
class StopOnSignal {
public:
    StopOnSignal(const QString& fifoPath, TaskContext& context)
        : m_path(QFile::encodeName(fifoPath))
    {
        if (::mkfifo(m_path.constData(), 0600) != 0 || ::pipe(m_wake) != 0)
            qFatal("cannot create the FIFO %s", m_path.constData());
        m_thread = std::thread([this, &context] {
            // Non-blocking so the open does not wait for the script; poll() then waits for either
            // the script's line or finish() giving up on it.
            const int fd = ::open(m_path.constData(), O_RDONLY | O_NONBLOCK);
            if (fd < 0)
                return;
            pollfd fds[2] = {{fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
            while (!m_message.contains('\n')) {
                if (::poll(fds, 2, -1) < 0 && errno != EINTR)
                    break;
                if (fds[1].revents != 0)
                    break;
                char buffer[256];
                const ssize_t count = ::read(fd, buffer, sizeof buffer);
                if (count > 0)
                    m_message.append(buffer, count);
                else if ((fds[0].revents & POLLHUP) != 0)
                    break; // the script closed the FIFO without a whole line
            }
            ::close(fd);
            if (m_message.contains('\n'))
                context.requestStop(TaskContext::StopReason::Cancel);
        });
    }
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;
    ~StopOnSignal() { finish(); }

    /// Joins the thread (waking it if the script never wrote) and returns what the script wrote.
    QByteArray finish()
    {
        if (m_thread.joinable()) {
            const char wake = 1;
            [[maybe_unused]] const ssize_t written = ::write(m_wake[1], &wake, 1);
            m_thread.join();
            ::close(m_wake[0]);
            ::close(m_wake[1]);
        }
        return m_message.trimmed();
    }

private:
    QByteArray m_path;
    int m_wake[2] = {-1, -1};
    QByteArray m_message;
    std::thread m_thread;
};

} // namespace

class tst_CommandKind : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void parseRejects_data();
    void parseRejects();
    void parseAccepts();
    void toJsonRoundTrips_data();
    void toJsonRoundTrips();

    void runs_data();
    void runs();
    void cwdIsHonoured();
    void missingCwdFails_data();
    void missingCwdFails();
    void missingProgramFails_data();
    void missingProgramFails();
    void envIsHonoured_data();
    void envIsHonoured();
    void largeOutputKeepsLastBytes();
    void stderrInErrorIsTrimmedToItsEnd();
    void crashIsReported();
    void deadlineStopsCommand();
    void requestStopFromAnotherThreadKillsCommand();
    void stopKillsWholeProcessGroup();
    void childrenLeftBehindEndWithTheTask();

private:
    AttemptOutcome runCommand(const QJsonObject& params, TaskContext& context);

    std::unique_ptr<QTemporaryDir> m_dir;
    CommandKind m_kind;
};

void tst_CommandKind::initTestCase()
{
    qputenv("WORKDECK_TEST_INHERITED", "from parent");
}

void tst_CommandKind::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

AttemptOutcome tst_CommandKind::runCommand(const QJsonObject& params, TaskContext& context)
{
    const auto parsed = m_kind.parseParams(params, 0);
    if (!parsed)
        return AttemptOutcome::failed(u"parse failed: "_s + parsed.error().message);
    return m_kind.run(**parsed, context);
}

void tst_CommandKind::parseRejects_data()
{
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("error");

    QTest::newRow("missing program") << QJsonObject{} << u"program: is required"_s;
    QTest::newRow("empty program") << QJsonObject{{u"program"_s, u""_s}} << u"program: must not be empty"_s;
    QTest::newRow("program array") << QJsonObject{{u"program"_s, QJsonArray{u"ls"_s}}}
                                   << u"program: must be a string, not an array"_s;
    QTest::newRow("args string") << QJsonObject{{u"program"_s, u"ls"_s}, {u"args"_s, u"-l"_s}}
                                 << u"args: must be an array of strings, not the text \"-l\""_s;
    QTest::newRow("args element number")
        << QJsonObject{{u"program"_s, u"ls"_s}, {u"args"_s, QJsonArray{u"-l"_s, 2}}}
        << u"args: element 1 must be a string, not a number"_s;
    QTest::newRow("cwd number") << QJsonObject{{u"program"_s, u"ls"_s}, {u"cwd"_s, 1}}
                                << u"cwd: must be a string, not a number"_s;
    QTest::newRow("env array") << QJsonObject{{u"program"_s, u"ls"_s}, {u"env"_s, QJsonArray{u"A=1"_s}}}
                               << u"env: must be an object of strings, not an array"_s;
    QTest::newRow("env value number")
        << QJsonObject{{u"program"_s, u"ls"_s}, {u"env"_s, QJsonObject{{u"A"_s, 1}}}}
        << u"env: \"A\" must be a string, not a number"_s;
    QTest::newRow("env name with =") << QJsonObject{{u"program"_s, u"ls"_s},
                                                    {u"env"_s, QJsonObject{{u"A=B"_s, u"1"_s}}}}
                                     << u"env: \"A=B\" is not a valid variable name"_s;
    QTest::newRow("unknown field") << QJsonObject{{u"program"_s, u"ls"_s}, {u"shell"_s, true}}
                                   << u"shell: unknown field"_s;
}

void tst_CommandKind::parseRejects()
{
    QFETCH(QJsonObject, params);
    QFETCH(QString, error);

    const auto parsed = m_kind.parseParams(params, 0);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message, error);
}

void tst_CommandKind::parseAccepts()
{
    const auto parsed = m_kind.parseParams({{u"program"_s, u"tar"_s},
                                            {u"args"_s, QJsonArray{u"-x"_s, u"-f"_s, u"a b.tar"_s}},
                                            {u"cwd"_s, u"/srv"_s},
                                            {u"env"_s, QJsonObject{{u"B"_s, u"2"_s}, {u"A"_s, u""_s}}}},
                                           0);
    QVERIFY(parsed.ok());
    const auto& command = static_cast<const CommandParams&>(**parsed);
    QCOMPARE(command.program, u"tar"_s);
    QCOMPARE(command.args, (QStringList{u"-x"_s, u"-f"_s, u"a b.tar"_s}));
    QCOMPARE(command.cwd, u"/srv"_s);
    const QList<QPair<QString, QString>> env{{u"A"_s, u""_s}, {u"B"_s, u"2"_s}};
    QCOMPARE(command.env, env);
}

void tst_CommandKind::toJsonRoundTrips_data()
{
    QTest::addColumn<QJsonObject>("params");

    QTest::newRow("program only") << QJsonObject{{u"program"_s, u"true"_s}};
    QTest::newRow("all fields") << QJsonObject{{u"program"_s, u"make"_s},
                                               {u"args"_s, QJsonArray{u"-j"_s, u"4"_s}},
                                               {u"cwd"_s, u"/src"_s},
                                               {u"env"_s, QJsonObject{{u"CC"_s, u"gcc"_s}}}};
    QTest::newRow("empty args and env")
        << QJsonObject{{u"program"_s, u"true"_s}, {u"args"_s, QJsonArray{}}, {u"env"_s, QJsonObject{}}};
}

void tst_CommandKind::toJsonRoundTrips()
{
    QFETCH(QJsonObject, params);

    const auto first = m_kind.parseParams(params, 0);
    QVERIFY(first.ok());
    const QJsonObject json = (*first)->toJson();
    const auto second = m_kind.parseParams(json, 0);
    QVERIFY(second.ok());
    QCOMPARE((*second)->toJson(), json);

    const auto& a = static_cast<const CommandParams&>(**first);
    const auto& b = static_cast<const CommandParams&>(**second);
    QCOMPARE(b.program, a.program);
    QCOMPARE(b.args, a.args);
    QCOMPARE(b.cwd, a.cwd);
    QCOMPARE(b.env, a.env);
}

void tst_CommandKind::runs_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<AttemptOutcome::Status>("status");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("error");

    QTest::newRow("echo") << u"/bin/echo"_s << QStringList{u"hi"_s} << AttemptOutcome::Status::Succeeded
                          << u"hi\n"_s << QString();
    QTest::newRow("found on PATH") << u"echo"_s << QStringList{u"a"_s, u"b c"_s}
                                   << AttemptOutcome::Status::Succeeded << u"a b c\n"_s << QString();
    QTest::newRow("no shell expansion")
        << u"/bin/echo"_s << QStringList{u"$HOME"_s, u"*"_s, u"a;b"_s} << AttemptOutcome::Status::Succeeded
        << u"$HOME * a;b\n"_s << QString();
    QTest::newRow("exit status") << u"sh"_s << QStringList{u"-c"_s, u"echo out; echo err >&2; exit 3"_s}
                                 << AttemptOutcome::Status::Failed << u"out\nerr\n"_s
                                 << u"exit status 3: err"_s;
    QTest::newRow("exit status without stderr")
        << u"sh"_s << QStringList{u"-c"_s, u"exit 1"_s} << AttemptOutcome::Status::Failed << QString()
        << u"exit status 1"_s;
    QTest::newRow("stderr on success kept in output")
        << u"sh"_s << QStringList{u"-c"_s, u"echo warning >&2"_s} << AttemptOutcome::Status::Succeeded
        << u"warning\n"_s << QString();
    // stdin is /dev/null, so a program that reads it ends instead of waiting forever.
    QTest::newRow("stdin is empty") << u"cat"_s << QStringList{} << AttemptOutcome::Status::Succeeded
                                    << QString() << QString();
    QTest::newRow("utf-8 output") << u"printf"_s << QStringList{u"gr\u00fc\u00dfe \u2713"_s}
                                  << AttemptOutcome::Status::Succeeded << u"gr\u00fc\u00dfe \u2713"_s
                                  << QString();
}

void tst_CommandKind::runs()
{
    QFETCH(QString, program);
    QFETCH(QStringList, args);
    QFETCH(AttemptOutcome::Status, status);
    QFETCH(QString, output);
    QFETCH(QString, error);

    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome =
        runCommand({{u"program"_s, program}, {u"args"_s, QJsonArray::fromStringList(args)}}, context);

    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.status, status);
    QCOMPARE(outcome.output, output);
}

void tst_CommandKind::cwdIsHonoured()
{
    const QString folder = m_dir->filePath(u"work dir"_s);
    QVERIFY(QDir().mkdir(folder));

    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = runCommand({{u"program"_s, u"pwd"_s}, {u"cwd"_s, folder}}, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Succeeded);
    QCOMPARE(outcome.output, QFileInfo(folder).canonicalFilePath() + u'\n');
}

void tst_CommandKind::missingCwdFails_data()
{
    QTest::addColumn<bool>("isFile");
    QTest::addColumn<QString>("problem");

    QTest::newRow("missing") << false << u"does not exist"_s;
    QTest::newRow("a file") << true << u"is not a folder"_s;
}

void tst_CommandKind::missingCwdFails()
{
    QFETCH(bool, isFile);
    QFETCH(QString, problem);

    const QString path = m_dir->filePath(u"elsewhere"_s);
    if (isFile) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }

    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = runCommand({{u"program"_s, u"pwd"_s}, {u"cwd"_s, path}}, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Failed);
    const QString expected =
        isFile ? u"cwd: \""_s + path + u"\" " + problem : u"cwd: folder \""_s + path + u"\" " + problem;
    QCOMPARE(outcome.error, expected);
}

void tst_CommandKind::missingProgramFails_data()
{
    QTest::addColumn<QString>("program");

    QTest::newRow("not on PATH") << u"workdeck-no-such-program"_s;
    QTest::newRow("absolute path") << u"/nonexistent/workdeck-tool"_s;
}

void tst_CommandKind::missingProgramFails()
{
    QFETCH(QString, program);

    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = runCommand({{u"program"_s, program}}, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Failed);
    const QString prefix = u"cannot start \""_s + program + u"\": ";
    QVERIFY2(outcome.error.startsWith(prefix), qPrintable(outcome.error));
    QVERIFY2(outcome.error.size() > prefix.size(), qPrintable(outcome.error));
}

void tst_CommandKind::envIsHonoured_data()
{
    QTest::addColumn<QJsonObject>("env");
    QTest::addColumn<QString>("output");

    QTest::newRow("inherits without env") << QJsonObject{} << u"[][from parent]"_s;
    QTest::newRow("adds on top") << QJsonObject{{u"WORKDECK_TEST_ADDED"_s, u"a b"_s}}
                                 << u"[a b][from parent]"_s;
    QTest::newRow("overrides") << QJsonObject{{u"WORKDECK_TEST_INHERITED"_s, u"mine"_s}} << u"[][mine]"_s;
    QTest::newRow("empty value") << QJsonObject{{u"WORKDECK_TEST_INHERITED"_s, u""_s}} << u"[][]"_s;
}

void tst_CommandKind::envIsHonoured()
{
    QFETCH(QJsonObject, env);
    QFETCH(QString, output);

    QJsonObject params{{u"program"_s, u"sh"_s},
                       {u"args"_s, QJsonArray{u"-c"_s, u"printf '[%s][%s]' \"$WORKDECK_TEST_ADDED\" "
                                                       u"\"$WORKDECK_TEST_INHERITED\""_s}}};
    if (!env.isEmpty())
        params.insert(u"env"_s, env);
    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = runCommand(params, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Succeeded);
    QCOMPARE(outcome.output, output);
}

void tst_CommandKind::largeOutputKeepsLastBytes()
{
    constexpr int count = 200'000; // a little over 1.2 MB of output
    QByteArray all;
    for (int i = 1; i <= count; ++i)
        all += QByteArray::number(i) + '\n';
    QVERIFY(all.size() > 1'000'000);

    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = runCommand(
        {{u"program"_s, u"seq"_s}, {u"args"_s, QJsonArray{u"1"_s, QString::number(count)}}}, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Succeeded);
    QCOMPARE(outcome.output.size(), OutputTail::DefaultCapacity);
    QCOMPARE(outcome.output.toLatin1(), all.right(OutputTail::DefaultCapacity));
}

void tst_CommandKind::stderrInErrorIsTrimmedToItsEnd()
{
    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = runCommand(
        {{u"program"_s, u"sh"_s}, {u"args"_s, QJsonArray{u"-c"_s, u"seq 1 5000 >&2; exit 1"_s}}}, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Failed);
    const QString prefix = u"exit status 1: \u2026"_s;
    QVERIFY2(outcome.error.startsWith(prefix), qPrintable(outcome.error.left(100)));
    QVERIFY(outcome.error.endsWith(u"\n4999\n5000"_s));
    const QString excerpt = outcome.error.mid(prefix.size());
    QVERIFY(excerpt.size() <= CommandKind::MaxStderrInError);
    // The excerpt starts at a whole line: its first line is a number one less than the next.
    const QStringList lines = excerpt.split(u'\n');
    QVERIFY(lines.size() > 2);
    QCOMPARE(lines.at(0).toInt() + 1, lines.at(1).toInt());
}

void tst_CommandKind::crashIsReported()
{
    TaskContext context(1, 1, farDeadline());
    const AttemptOutcome outcome = runCommand(
        {{u"program"_s, u"sh"_s}, {u"args"_s, QJsonArray{u"-c"_s, u"echo before; kill -SEGV $$"_s}}},
        context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Failed);
    QVERIFY2(outcome.error.startsWith(u"crashed: signal "_s + QString::number(SIGSEGV)),
             qPrintable(outcome.error));
    QCOMPARE(outcome.output, u"before\n"_s);
}

void tst_CommandKind::deadlineStopsCommand()
{
    TaskContext context(1, 1, TaskContext::Clock::now() + 200ms);
    const AttemptOutcome outcome =
        runCommand({{u"program"_s, u"sleep"_s}, {u"args"_s, QJsonArray{u"30"_s}}}, context);

    QCOMPARE(outcome.status, AttemptOutcome::Status::Stopped);
    QCOMPARE(context.stopReason(), TaskContext::StopReason::Timeout);
}

void tst_CommandKind::requestStopFromAnotherThreadKillsCommand()
{
    const QString fifo = m_dir->filePath(u"ready"_s);
    TaskContext context(1, 1, farDeadline());
    StopOnSignal stopper(fifo, context);

    const AttemptOutcome outcome = runCommand(
        {{u"program"_s, u"sh"_s},
         {u"args"_s, QJsonArray{u"-c"_s, u"echo started; echo $$ > \"$1\"; exec sleep 30"_s, u"sh"_s, fifo}}},
        context);
    const QByteArray pid = stopper.finish();

    QCOMPARE(outcome.status, AttemptOutcome::Status::Stopped);
    QCOMPARE(context.stopReason(), TaskContext::StopReason::Cancel);
    QCOMPARE(outcome.output, u"started\n"_s);
    bool ok = false;
    const pid_t child = static_cast<pid_t>(pid.toLongLong(&ok));
    QVERIFY2(ok, pid.constData());
    QTRY_VERIFY(processGone(child));
}

void tst_CommandKind::stopKillsWholeProcessGroup()
{
    const QString fifo = m_dir->filePath(u"ready"_s);
    TaskContext context(1, 1, farDeadline());
    StopOnSignal stopper(fifo, context);

    // The background sleep is a grandchild: killing only the shell would leave it running.
    const AttemptOutcome outcome = runCommand(
        {{u"program"_s, u"sh"_s},
         {u"args"_s, QJsonArray{u"-c"_s, u"sleep 30 & echo $! > \"$1\"; sleep 30"_s, u"sh"_s, fifo}}},
        context);
    const QByteArray pid = stopper.finish();

    QCOMPARE(outcome.status, AttemptOutcome::Status::Stopped);
    bool ok = false;
    const pid_t grandchild = static_cast<pid_t>(pid.toLongLong(&ok));
    QVERIFY2(ok, pid.constData());
    QTRY_VERIFY(processGone(grandchild));
}

void tst_CommandKind::childrenLeftBehindEndWithTheTask()
{
    TaskContext context(1, 1, farDeadline());
    // The shell starts a background sleep and exits at once, successfully.
    const AttemptOutcome outcome = runCommand(
        {{u"program"_s, u"sh"_s}, {u"args"_s, QJsonArray{u"-c"_s, u"sleep 300 >/dev/null 2>&1 & echo $!"_s}}},
        context);
    QCOMPARE(outcome.status, AttemptOutcome::Status::Succeeded);
    bool ok = false;
    const auto child = static_cast<pid_t>(outcome.output.trimmed().toLongLong(&ok));
    QVERIFY2(ok, qPrintable(outcome.output));
    QTRY_VERIFY(processGone(child));
}

QTEST_GUILESS_MAIN(tst_CommandKind)
#include "tst_commandkind.moc"
