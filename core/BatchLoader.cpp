#include "BatchLoader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace workdeck {

namespace {

/// Collects problems, keeping the first MaxShownProblems and counting the rest.
class Problems {
public:
    void add(qint64 line, const QString& problem)
    {
        ++m_count;
        if (m_shown.size() < BatchLoader::MaxShownProblems)
            m_shown.append(u"line " + QString::number(line) + u": " + problem);
    }
    bool empty() const { return m_count == 0; }
    Error error() const
    {
        QString text = m_shown.join(QLatin1Char('\n'));
        if (m_count > m_shown.size())
            text += u"\n… and " + QString::number(m_count - m_shown.size()) + u" more problem(s)";
        return Error{text};
    }

private:
    QStringList m_shown;
    qint64 m_count = 0;
};

} // namespace

BatchLoader::BatchLoader(const KindRegistry& kinds, TaskRecordParser::UserLookup users)
    : m_parser(kinds, std::move(users))
{
}

Result<std::vector<TaskSpec>> BatchLoader::load(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"jsonl" || suffix == u"ndjson")
        return loadJsonLines(path);
    return Error{u"batch: " + path + u" has an unsupported type \"." + suffix +
                 u"\"; use .jsonl or .ndjson (JSON Lines)"};
}

Result<std::vector<TaskSpec>> BatchLoader::loadJsonLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{u"batch: cannot read " + path + u": " + file.errorString()};
    std::vector<TaskSpec> specs;
    Problems problems;
    QStringList recordProblems;
    qint64 lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        QByteArray line = file.readLine(MaxLineBytes + 3);
        const bool complete = line.endsWith('\n') || file.atEnd();
        qsizetype length = line.size();
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
            --length;
        if (!complete || length > MaxLineBytes) {
            problems.add(lineNumber, QStringLiteral("the line is longer than 1 MiB"));
            while (!file.atEnd() && !line.endsWith('\n'))
                line = file.readLine(1 << 16);
            continue;
        }
        if (lineNumber == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError) {
            problems.add(lineNumber, u"not valid JSON (" + error.errorString() + u" at character " +
                                         QString::number(error.offset + 1) + u')');
            continue;
        }
        if (!document.isObject()) {
            problems.add(lineNumber,
                         QStringLiteral("expected a JSON object such as {\"kind\":\"simulate\"}"));
            continue;
        }
        recordProblems.clear();
        auto spec = m_parser.parse(document.object(), recordProblems);
        for (const QString& problem : std::as_const(recordProblems))
            problems.add(lineNumber, problem);
        if (spec && problems.empty())
            specs.push_back(std::move(*spec));
    }
    if (file.error() != QFileDevice::NoError)
        return Error{u"batch: reading " + path + u" failed: " + file.errorString()};
    if (!problems.empty())
        return problems.error();
    if (specs.empty())
        return Error{u"batch: " + path + u" holds no tasks"};
    return specs;
}

} // namespace workdeck
