#include "TaskDetailView.h"

#include "StateColors.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>

namespace workdeck {

namespace {

QString escaped(const QString& text)
{
    return text.toHtmlEscaped();
}

QString when(qint64 ms)
{
    return ms < 0 ? QStringLiteral("—")
                  : QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms),
                                       QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString lasted(qint64 fromMs, qint64 toMs)
{
    if (fromMs < 0 || toMs < fromMs)
        return QStringLiteral("—");
    return QLocale().toString(toMs - fromMs) + QStringLiteral(" ms");
}

QString row(const QString& label, const QString& valueHtml)
{
    return u"<tr><td style='padding-right:12px'><b>" + escaped(label) + u"</b></td><td>" + valueHtml +
           u"</td></tr>";
}

} // namespace

TaskDetailView::TaskDetailView(QWidget* parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("taskDetail"));
    setOpenLinks(false);
    showMessage(tr("Select a task to see its parameters, attempts, output and error."));
}

void TaskDetailView::showMessage(const QString& message)
{
    m_taskId = 0;
    setHtml(u"<p><i>" + escaped(message) + u"</i></p>");
}

void TaskDetailView::showDetail(const TaskDetail& detail)
{
    const TaskRow& task = detail.row;
    m_taskId = task.id;
    const QString colour = StateColors::color(task.state).name();
    QString html = u"<h3>" + tr("Task %1").arg(task.id) + u" <span style='color:" + colour + u"'>●</span> " +
                   escaped(stateName(task.state)) + u"</h3><table>";
    html += row(tr("Kind"), escaped(task.kind));
    html += row(tr("Priority"), QString::number(task.priority));
    html += row(tr("Attempts"), tr("%1 of %2").arg(task.attempts).arg(task.maxRetries + 1));
    html += row(tr("Timeout"), QLocale().toString(detail.timeoutMs) + QStringLiteral(" ms"));
    html += row(tr("Submitted by"), task.userEmail.isEmpty() ? tr("nobody")
                                                             : escaped(detail.userName) + u" &lt;" +
                                                                   escaped(task.userEmail) + u"&gt;");
    html += row(tr("Created"), when(task.createdAtMs));
    html += row(tr("Started"), when(task.startedAtMs));
    html += row(tr("Finished"), isTerminal(task.state) ? when(task.finishedAtMs) : QStringLiteral("—"));
    html += row(tr("UUID"), u"<code>" + escaped(detail.uuid) + u"</code>");
    html += u"</table>";

    const QJsonDocument params = QJsonDocument::fromJson(detail.params.toUtf8());
    html +=
        u"<h4>" + tr("Parameters") + u"</h4><pre>" +
        escaped(params.isNull() ? detail.params : QString::fromUtf8(params.toJson(QJsonDocument::Indented))) +
        u"</pre>";

    html += u"<h4>" + tr("Attempts") + u"</h4>";
    if (detail.attempts.isEmpty()) {
        html += u"<p>" + tr("None yet.") + u"</p>";
    } else {
        // One line an attempt: the pane is narrow, and a table would wrap every cell.
        html += u"<p>";
        for (const AttemptRow& attempt : detail.attempts) {
            QString line = tr("#%1").arg(attempt.attempt);
            if (attempt.worker > 0)
                line += u" · " + tr("worker %1").arg(attempt.worker);
            line += u" · " + when(attempt.startedAtMs) + u" · " +
                    lasted(attempt.startedAtMs, attempt.finishedAtMs) + u" · ";
            html += escaped(line) + u"<span style='color:" + StateColors::color(attempt.state).name() +
                    u"'>" + escaped(stateName(attempt.state)) + u"</span>";
            if (!attempt.error.isEmpty())
                html += u": " + escaped(attempt.error);
            html += u"<br>";
        }
        html += u"</p>";
    }
    if (!task.error.isEmpty())
        html += u"<h4>" + tr("Error") + u"</h4><pre style='color:" +
                StateColors::color(TaskState::Failed).name() + u"'>" + escaped(task.error) + u"</pre>";
    html += u"<h4>" + tr("Output") + u"</h4>";
    if (detail.output.isEmpty())
        html += u"<p>" + tr("No output.") + u"</p>";
    else
        html += u"<pre>" + escaped(detail.output) + u"</pre>";
    setHtml(html);
}

} // namespace workdeck
