#include "CommandKind.h"

#include "JsonFields.h"
#include "OutputTail.h"
#include "TaskContext.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QScopeGuard>

#include <signal.h>
#include <string.h>
#include <unistd.h>

namespace workdeck {

namespace {
const QString programField = QStringLiteral("program");
const QString argsField = QStringLiteral("args");
const QString cwdField = QStringLiteral("cwd");
const QString envField = QStringLiteral("env");

// Short enough that a stop request ends the command within the 100 ms the spec allows, long
// enough that an idle command costs nothing. Output does not wait for it: reads wake the wait.
constexpr int PollSliceMs = 20;
// After SIGKILL only a process stuck in the kernel (a dead NFS mount) takes longer than this;
// the worker gives up on it rather than hang with it.
constexpr int KillWaitMs = 5000;

QString quoted(const QString& text)
{
    return u'"' + text + u'"';
}

// QProcess prefixes the errno text with the call that failed ("execve: No such file or
// directory"); the person reading the task only needs the reason.
QString startFailureReason(const QProcess& process)
{
    QString reason = process.errorString();
    const qsizetype colon = reason.lastIndexOf(u": ");
    if (colon >= 0)
        reason = reason.mid(colon + 2);
    return reason;
}

QString signalDescription(int signal)
{
    QString text = u"signal " + QString::number(signal);
    // sigdescr_np, unlike strsignal, is thread-safe: commands run in several workers at once.
    if (const char* description = ::sigdescr_np(signal))
        text += u" (" + QString::fromLocal8Bit(description) + u')';
    return text;
}

// The end of stderr, where a failing program usually explains itself, starting at a line.
QString stderrExcerpt(const OutputTail& errors)
{
    QString text = errors.text().trimmed();
    if (text.size() <= CommandKind::MaxStderrInError)
        return text;
    text = text.right(CommandKind::MaxStderrInError);
    const qsizetype newline = text.indexOf(u'\n');
    if (newline >= 0 && newline + 1 < text.size())
        text = text.mid(newline + 1);
    else if (text.front().isLowSurrogate())
        text.remove(0, 1);
    return u"\u2026" + text;
}

// Kills the program and anything it started that stayed in its process group.
void killProcessGroup(QProcess& process)
{
    const qint64 pid = process.processId();
    if (pid > 0)
        ::kill(-static_cast<pid_t>(pid), SIGKILL);
    process.kill();
    process.waitForFinished(KillWaitMs);
}
} // namespace

QJsonObject CommandParams::toJson() const
{
    QJsonObject json{{programField, program}};
    if (!args.isEmpty())
        json.insert(argsField, QJsonArray::fromStringList(args));
    if (!cwd.isEmpty())
        json.insert(cwdField, cwd);
    if (!env.isEmpty()) {
        QJsonObject variables;
        for (const auto& [key, value] : env)
            variables.insert(key, value);
        json.insert(envField, variables);
    }
    return json;
}

QStringList CommandKind::parameterNames() const
{
    return {programField, argsField, cwdField, envField};
}

QJsonValue::Type CommandKind::parameterType(const QString& name) const
{
    if (name == argsField)
        return QJsonValue::Array;
    if (name == envField)
        return QJsonValue::Object;
    return QJsonValue::String;
}

Result<ParamsPtr> CommandKind::parseParams(const QJsonObject& params, int /*priority*/) const
{
    if (auto known = JsonFields::rejectUnknown(params, parameterNames()); !known)
        return known.error();
    auto program = JsonFields::string(params, programField, true);
    if (!program)
        return program.error();
    auto args = JsonFields::stringArray(params, argsField);
    if (!args)
        return args.error();
    auto cwd = JsonFields::string(params, cwdField, false);
    if (!cwd)
        return cwd.error();
    auto env = JsonFields::stringMap(params, envField);
    if (!env)
        return env.error();

    auto result = std::make_shared<CommandParams>();
    result->program = std::move(*program);
    result->args = std::move(*args);
    result->cwd = std::move(*cwd);
    result->env = std::move(*env);
    return ParamsPtr(std::move(result));
}

AttemptOutcome CommandKind::run(const KindParams& params, TaskContext& context) const
{
    const auto& command = static_cast<const CommandParams&>(params);

    // QProcess would only say "No such file or directory", which reads as if the program were missing.
    if (!command.cwd.isEmpty()) {
        const QFileInfo cwd(command.cwd);
        if (!cwd.exists())
            return AttemptOutcome::failed(cwdField + u": folder " + quoted(command.cwd) + u" does not exist");
        if (!cwd.isDir())
            return AttemptOutcome::failed(cwdField + u": " + quoted(command.cwd) + u" is not a folder");
    }

    // Declared before the process: should its destructor still read output, the tails exist.
    OutputTail output;
    OutputTail errors(StderrTailCapacity);

    QProcess process;
    process.setProgram(command.program);
    process.setArguments(command.args);
    if (!command.cwd.isEmpty())
        process.setWorkingDirectory(command.cwd);
    if (!command.env.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const auto& [key, value] : command.env)
            environment.insert(key, value);
        process.setProcessEnvironment(environment);
    }
    // A command that reads stdin would otherwise wait forever on a pipe nobody writes to.
    process.setStandardInputFile(QProcess::nullDevice());
    // Its own process group lets a stop kill whatever the program started, not just the program.
    // setpgid is async-signal-safe, as code between fork and exec must be.
    process.setChildProcessModifier([] { ::setpgid(0, 0); });

    // The waitFor* calls below emit these synchronously, as each read happens, so both channels
    // land in `output` in the order they arrived and QProcess never buffers more than a pipe-full.
    const auto readStdout = [&] { output.append(process.readAllStandardOutput()); };
    const auto readStderr = [&] {
        const QByteArray bytes = process.readAllStandardError();
        output.append(bytes);
        errors.append(bytes);
    };
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &process, readStdout);
    QObject::connect(&process, &QProcess::readyReadStandardError, &process, readStderr);

    process.start();
    while (process.state() == QProcess::Starting) {
        if (process.waitForStarted(PollSliceMs))
            break;
        if (process.state() == QProcess::Starting && context.stopRequested()) {
            killProcessGroup(process);
            return AttemptOutcome::stopped();
        }
    }
    if (process.error() == QProcess::FailedToStart)
        return AttemptOutcome::failed(u"cannot start " + quoted(command.program) + u": " +
                                      startFailureReason(process));
    // Whatever the program left running in its group when it ends is ended with it: a task
    // owns everything it started, as a service manager's unit does.
    const auto group = static_cast<pid_t>(process.processId());
    const auto endGroup = qScopeGuard([group] {
        if (group > 0)
            ::kill(-group, SIGKILL);
    });

    while (process.state() != QProcess::NotRunning) {
        if (context.stopRequested()) {
            killProcessGroup(process);
            return AttemptOutcome::stopped(output.text());
        }
        process.waitForFinished(PollSliceMs);
    }
    // Whatever was read together with the exit notification and not yet signalled.
    readStderr();
    readStdout();

    if (process.exitStatus() == QProcess::CrashExit) {
        // On Unix QProcess reports the terminating signal as the exit code of a crashed process.
        return AttemptOutcome::failed(u"crashed: " + signalDescription(process.exitCode()), output.text());
    }
    if (process.exitCode() != 0) {
        QString message = u"exit status " + QString::number(process.exitCode());
        if (const QString excerpt = stderrExcerpt(errors); !excerpt.isEmpty())
            message += u": " + excerpt;
        return AttemptOutcome::failed(message, output.text());
    }
    return AttemptOutcome::succeeded(output.text());
}

} // namespace workdeck
