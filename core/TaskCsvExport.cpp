#include "TaskCsvExport.h"

#include "BackgroundPriority.h"
#include "Database.h"
#include "TaskBrowser.h"

#include <QDateTime>
#include <QSaveFile>
#include <QThread>

namespace workdeck {

namespace {

constexpr int PageSize = 5000;

/// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
void appendField(QByteArray& out, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r')) {
        out += '"';
        out += QByteArray(utf8).replace('"', "\"\"");
        out += '"';
    } else {
        out += utf8;
    }
}

QString isoTime(qint64 ms)
{
    return ms < 0 ? QString() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

const QStringList TaskCsvExport::Header{
    QStringLiteral("id"),          QStringLiteral("kind"),        QStringLiteral("state"),
    QStringLiteral("priority"),    QStringLiteral("attempts"),    QStringLiteral("max_retries"),
    QStringLiteral("user"),        QStringLiteral("created_at"),  QStringLiteral("started_at"),
    QStringLiteral("finished_at"), QStringLiteral("duration_ms"), QStringLiteral("error"),
};

TaskCsvExport::TaskCsvExport(QString databasePath, QObject* parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
{
}

TaskCsvExport::~TaskCsvExport()
{
    m_cancel = true;
    finishThread();
}

void TaskCsvExport::finishThread()
{
    if (m_thread) {
        m_thread->wait();
        m_thread.reset();
    }
}

bool TaskCsvExport::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void TaskCsvExport::start(const QString& target, const TaskFilter& filter, const TaskSort& sort)
{
    finishThread();
    m_cancel = false;
    m_thread.reset(QThread::create([this, target, filter, sort] {
        lowerCurrentThreadPriority();
        auto db = Database::open(m_databasePath);
        if (!db) {
            emit failed(db.error().message);
            return;
        }
        const auto written = write(
            **db, target, filter, sort, [this](qint64 rows) { emit progress(rows); }, &m_cancel);
        if (m_cancel)
            emit cancelled();
        else if (!written)
            emit failed(written.error().message);
        else
            emit finished(*written);
    }));
    m_thread->setObjectName(QStringLiteral("workdeck-export"));
    m_thread->start();
}

Result<qint64> TaskCsvExport::write(Database& db, const QString& target, const TaskFilter& filter,
                                    const TaskSort& sort, const std::function<void(qint64)>& progress,
                                    const std::atomic_bool* cancel)
{
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly))
        return Error{target + u": " + file.errorString()};
    QByteArray out = Header.join(u',').toUtf8() + "\r\n";
    TaskBrowser browser(db);
    std::optional<TaskCursor> after;
    qint64 rows = 0;
    for (;;) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            file.cancelWriting();
            return Error{QStringLiteral("cancelled")};
        }
        auto page = browser.page(filter, sort, after, PageSize);
        if (!page) {
            file.cancelWriting();
            return page.error();
        }
        for (const TaskRow& row : *page) {
            const qint64 duration =
                row.startedAtMs >= 0 && row.finishedAtMs >= 0 ? row.finishedAtMs - row.startedAtMs : -1;
            out += QByteArray::number(row.id) + ',';
            appendField(out, row.kind);
            out += ',' + stateName(row.state).toUtf8() + ',' + QByteArray::number(row.priority) + ',' +
                   QByteArray::number(row.attempts) + ',' + QByteArray::number(row.maxRetries) + ',';
            appendField(out, row.userEmail);
            out += ',' + isoTime(row.createdAtMs).toUtf8() + ',' + isoTime(row.startedAtMs).toUtf8() + ',' +
                   isoTime(row.finishedAtMs).toUtf8() + ',' +
                   (duration < 0 ? QByteArray() : QByteArray::number(duration)) + ',';
            appendField(out, row.error);
            out += "\r\n";
        }
        if (file.write(out) != out.size()) {
            const QString why = file.errorString();
            file.cancelWriting();
            return Error{target + u": " + why};
        }
        out.clear();
        rows += page->size();
        if (progress)
            progress(rows);
        if (page->size() < PageSize)
            break;
        after = TaskBrowser::cursorAfter(page->last(), sort);
    }
    if (!file.commit())
        return Error{target + u": " + file.errorString()};
    return rows;
}

} // namespace workdeck
