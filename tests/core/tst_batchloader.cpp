#include "BatchInput.h"
#include "BatchLoader.h"
#include "SqlText.h"
#include "Workspace.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>

using namespace workdeck;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MiB = 1 << 20;

const QString Ann = u"ann@example.com"_s;
const QString PriorityRange = u"priority: must be an integer from 0 to 255, not "_s;
const QString InvalidUtf8 = u"invalid UTF-8; save the file as UTF-8"_s;
const QString NotText = u"the file is not text: it holds a NUL byte (is it UTF-16? save it as UTF-8)"_s;
const QString Utf16 = u"the file is UTF-16 or UTF-32; save it as UTF-8"_s;
const QString NoTasks = u"line 1: the file holds no tasks"_s;
const QString AnObject = u"expected a JSON object such as {\"kind\":\"simulate\"}"_s;
const QString ValueInvalid =
    u"not valid JSON: expected a value (text needs double quotes; NaN and Infinity are not JSON)"_s;
const QString MissName = u"not valid JSON: expected a field name in double quotes"_s;
const QString LineCutShort = u"the line ends inside its JSON object (is it cut short?)"_s;
const QString ArrayCutShort = u"the file ends before the array is closed (is it cut short?)"_s;
const QString CommonFields = u"kind, priority, max_retries, timeout_ms, user"_s;
const QString CsvColumns =
    u"kind, priority, max_retries, timeout_ms, user, duration_ms, fail_attempts, path, "
    u"algorithm, expect, program, args, cwd, env"_s;

/// `text` as UTF-16 little or big endian, with or without its byte order mark.
QByteArray utf16(const QString& text, bool bigEndian, bool bom)
{
    QByteArray bytes;
    QString all = text;
    if (bom)
        all.prepend(QChar(0xFEFF));
    for (const QChar c : all) {
        const char high = static_cast<char>(c.unicode() >> 8);
        const char low = static_cast<char>(c.unicode() & 0xFF);
        bytes.append(bigEndian ? high : low);
        bytes.append(bigEndian ? low : high);
    }
    return bytes;
}

/// A command record whose line is exactly `length` bytes long (without its line feed).
QByteArray commandLine(qint64 length)
{
    const QByteArray head = "{\"kind\":\"command\",\"program\":\"";
    const QByteArray tail = "\"}";
    return head + QByteArray(length - head.size() - tail.size(), 'a') + tail;
}

/// A CSV cell quoted as RFC 4180 asks: always in quotes, quotes doubled.
QByteArray csvCell(const QString& text)
{
    QByteArray utf8 = text.toUtf8();
    utf8.replace('"', "\"\"");
    return '"' + utf8 + '"';
}

QByteArray jsonText(const QJsonArray& array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

/// Why the bytesRead of a series of progress calls is wrong: each within (0, end], never
/// shrinking, the last one at `end`. Empty when all is well.
QString bytesReadProblem(const QList<BatchProgress>& calls, qint64 end)
{
    qint64 before = 0;
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const qint64 read = calls.at(i).bytesRead;
        if (read <= 0 || read > end || read < before)
            return u"call "_s + QString::number(i) + u" read "_s + QString::number(read) +
                   u" bytes (before: "_s + QString::number(before) + u", end: "_s + QString::number(end) +
                   u')';
        before = read;
    }
    if (before != end)
        return u"the last call read "_s + QString::number(before) + u" of "_s + QString::number(end) +
               u" bytes"_s;
    return {};
}

/// Every field of a spec on one line, so QCOMPARE shows what differs.
QString describe(const TaskSpec& spec)
{
    const QByteArray params =
        spec.params ? QJsonDocument(spec.params->toJson()).toJson(QJsonDocument::Compact) : "(none)";
    return u"kind="_s + QString::number(spec.kind) + u" priority="_s + QString::number(spec.priority) +
           u" retries="_s + QString::number(spec.maxRetries) + u" timeout="_s +
           QString::number(spec.timeoutMs) + u" user="_s + spec.userId + u" params="_s +
           QString::fromUtf8(params);
}

/// The specs of a batch, or the error in their place, so a failed load fails the comparison.
QStringList describe(const Result<Batch>& batch)
{
    if (!batch)
        return {u"error: "_s + batch.error().message};
    QStringList lines;
    for (const TaskSpec& spec : batch->specs)
        lines.append(describe(spec));
    return lines;
}

/// The lines of the error, or one line saying that the batch loaded.
QStringList problems(const Result<Batch>& batch)
{
    if (batch)
        return {u"(no problem: the batch loaded " + QString::number(batch->specs.size()) + u" task(s))"};
    return batch.error().message.split(u'\n');
}

} // namespace

class TestBatchLoader : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_annId;

    BatchLoader loader()
    {
        return BatchLoader(KindRegistry::builtin(),
                           [this](const QString& email) { return m_ws->userIdByEmail(email); });
    }

    QString write(const QString& name, const QByteArray& bytes)
    {
        const QString path = m_dir->filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    /// What the window and the headless run do with a batch file: load it and, when it is
    /// valid, store and queue its tasks.
    Result<Batch> import(const QString& path)
    {
        auto batch = loader().load(path);
        if (batch) {
            if (auto queued = m_ws->queue(batch->specs); !queued)
                return queued.error();
        }
        return batch;
    }

    QString storedTasks() { return test::sqlText(m_ws->database(), u"SELECT count(*) FROM tasks"_s); }

    static void addRow(const char* name, const QString& file, const QByteArray& bytes,
                       const QStringList& expected)
    {
        QTest::newRow(name) << file << bytes << expected;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        WorkerPool::Options options;
        options.workers = 1;
        auto ws = Workspace::open(m_dir->filePath(u"t.sqlite"_s), KindRegistry::builtin(), options);
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        m_ws = std::move(*ws);
        const auto ann = m_ws->users().create({Ann, u"Ann Example"_s});
        QVERIFY2(ann.ok(), ann.ok() ? "" : qPrintable(ann.error().message));
        m_annId = ann->id;
    }

    void cleanup()
    {
        m_ws.reset();
        m_dir.reset();
    }

    void hostile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        // Every problem of the file, in order; "%1" stands for the file's path.
        QTest::addColumn<QStringList>("expected");
        // Why the implementation fails this row, when it does (reported, not fixed here).

        // JSON syntax.
        addRow("jsonl missing comma", u"b.jsonl"_s,
               "{\"priority\":1}\n{\"kind\":\"simulate\" \"priority\":2}\n",
               {u"line 2: not valid JSON: expected ',' or '}'"_s});
        addRow("jsonl unquoted key", u"b.jsonl"_s, "{priority:1}\n", {u"line 1: "_s + MissName});
        addRow("jsonl trailing comma", u"b.jsonl"_s, "{\"priority\":1,}\n", {u"line 1: "_s + MissName});
        addRow("jsonl single-quoted key", u"b.jsonl"_s, "{'priority':1}\n", {u"line 1: "_s + MissName});
        addRow("jsonl single-quoted value", u"b.jsonl"_s, "{\"kind\":'command'}\n",
               {u"line 1: kind: "_s + ValueInvalid});
        addRow("jsonl two objects on a line", u"b.ndjson"_s, "{\"priority\":1} {\"priority\":2}\n",
               {u"line 1: more than one JSON value on the line; JSON Lines holds one object per line"_s});
        addRow("jsonl every bad line is reported", u"b.jsonl"_s,
               "{\"priority\":1,}\n{\"priority\":2}\n{\"priority\" 3}\n{\"priority\":300}\n",
               {u"line 1: "_s + MissName,
                u"line 3: priority: not valid JSON: expected ':' after the field name"_s,
                u"line 4: "_s + PriorityRange + u"300"_s});
        addRow("json missing comma between elements", u"b.json"_s,
               "[\n  {\"priority\": 1}\n  {\"priority\": 2}\n]\n",
               {u"line 3: not valid JSON: expected ',' or ']'"_s});
        addRow("json trailing comma in an object", u"b.json"_s, "[\n  {\"priority\": 1,}\n]\n",
               {u"line 2: "_s + MissName});

        // Truncated files.
        addRow("jsonl truncated last line", u"b.jsonl"_s,
               "{\"priority\":1}\n{\"priority\":2}\n{\"priority\":3,\"kind\":\"sim",
               {u"line 3: kind: "_s + LineCutShort});
        addRow("jsonl line cut short before its line feed", u"b.jsonl"_s,
               "{\"priority\":1}\n{\"priority\":2\n", {u"line 2: "_s + LineCutShort});
        addRow("json truncated array", u"b.json"_s, "[\n  {\"priority\": 1},\n  {\"priority\": 2}",
               {u"line 3: "_s + ArrayCutShort});
        addRow("json truncated inside an element", u"b.json"_s,
               "[\n  {\"priority\": 1},\n  {\"kind\": \"command\", \"program\": \"gz",
               {u"line 3: program: "_s + ArrayCutShort});

        // Encodings.
        addRow("jsonl invalid UTF-8 in a string", u"b.jsonl"_s,
               "{\"priority\":1}\n{\"kind\":\"command\",\"program\":\"gz\xffip\"}\n",
               {u"line 2: program: "_s + InvalidUtf8});
        addRow("jsonl overlong UTF-8", u"b.jsonl"_s, "{\"kind\":\"command\",\"program\":\"\xc0\xaf\"}\n",
               {u"line 1: program: "_s + InvalidUtf8});
        addRow("jsonl UTF-8 encoded surrogate", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"\xed\xa0\x80\"}\n",
               {u"line 1: program: "_s + InvalidUtf8});
        addRow("jsonl invalid UTF-8 in a field name", u"b.jsonl"_s, "{\"prio\xffrity\":1}\n",
               {u"line 1: "_s + InvalidUtf8});
        addRow("json invalid UTF-8 in a string", u"b.json"_s,
               "[\n  {\"priority\": 1},\n  {\"kind\": \"command\",\n   \"program\": \"ls\",\n"
               "   \"cwd\": \"/tmp/\xc3(\"}\n]\n",
               {u"line 5: cwd: "_s + InvalidUtf8});
        addRow("csv invalid UTF-8 in a cell", u"b.csv"_s, "kind,program\ncommand,ls\ncommand,gz\xe2\x82ip\n",
               {u"line 3: program: "_s + InvalidUtf8});
        addRow("csv invalid UTF-8 in the header", u"b.csv"_s, "kind,pro\xffgram\ncommand,ls\n",
               {u"line 1: column 2 of the header is not valid UTF-8"_s});
        addRow("jsonl UTF-16 LE with BOM", u"b.jsonl"_s, utf16(u"{\"priority\":1}\n"_s, false, true),
               {u"line 1: "_s + Utf16});
        addRow("csv UTF-16 BE with BOM", u"b.csv"_s, utf16(u"priority\n1\n"_s, true, true),
               {u"line 1: "_s + Utf16});
        addRow("jsonl UTF-16 LE without BOM", u"b.jsonl"_s, utf16(u"{\"priority\":1}\n"_s, false, false),
               {u"line 1: "_s + NotText});
        addRow("json UTF-16 LE without BOM", u"b.json"_s, utf16(u"[{\"priority\":1}]"_s, false, false),
               {u"line 1: "_s + NotText});
        addRow("csv UTF-16 BE without BOM", u"b.csv"_s, utf16(u"priority\n1\n"_s, true, false),
               {u"line 1: "_s + NotText});
        addRow("jsonl NUL byte on line 3", u"b.jsonl"_s,
               "{\"priority\":1}\n{\"priority\":2}\n{\"priority\":\0}\n"_ba, {u"line 3: "_s + NotText});
        addRow("jsonl escaped NUL in a string", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"a\\u0000b\"}\n",
               {u"line 1: program: must not contain NUL characters"_s});

        // Oversized lines.
        addRow("jsonl line over 1 MiB, then a valid line", u"b.jsonl"_s,
               "{\"priority\":1}\n" + commandLine(2 * MiB) + "\n{\"priority\":2}\n",
               {u"line 2: the line is longer than 1 MiB"_s});
        addRow("csv row over 1 MiB", u"b.csv"_s,
               "kind,program\ncommand,ls\ncommand," + QByteArray(MiB + 10, 'a') + "\ncommand,ls\n",
               {u"line 3: the row is longer than 1 MiB"_s});
        addRow("json record over 1 MiB", u"b.json"_s,
               "[\n  {\"priority\": 1},\n  " + commandLine(MiB + 10) + "\n]\n",
               {u"line 3: the record is larger than 1 MiB"_s});
        addRow("json record over 1 MiB spanning lines", u"b.json"_s,
               "[\n  {\"priority\": 1},\n  {\n    \"kind\": \"command\",\n    \"program\": \"" +
                   QByteArray(MiB + 10, 'a') + "\"\n  }\n]\n",
               {u"line 3: the record is larger than 1 MiB"_s});

        // Wrong types and out-of-range numbers.
        addRow("priority as text", u"b.jsonl"_s, "{\"priority\":\"5\"}\n",
               {u"line 1: "_s + PriorityRange + u"the text \"5\""_s});
        addRow("priority 1.5", u"b.jsonl"_s, "{\"priority\":1.5}\n",
               {u"line 1: "_s + PriorityRange + u"1.5"_s});
        addRow("priority 1e309", u"b.jsonl"_s, "{\"priority\":1e309}\n",
               {u"line 1: priority: the number is too large to read"_s});
        addRow("priority NaN", u"b.jsonl"_s, "{\"priority\":NaN}\n",
               {u"line 1: priority: "_s + ValueInvalid});
        addRow("priority -1", u"b.jsonl"_s, "{\"priority\":-1}\n", {u"line 1: "_s + PriorityRange + u"-1"_s});
        addRow("priority 256", u"b.jsonl"_s, "{\"priority\":256}\n",
               {u"line 1: "_s + PriorityRange + u"256"_s});
        addRow("priority true", u"b.jsonl"_s, "{\"priority\":true}\n",
               {u"line 1: "_s + PriorityRange + u"a boolean"_s});
        addRow("priority null", u"b.jsonl"_s, "{\"priority\":null}\n",
               {u"line 1: "_s + PriorityRange + u"null"_s});
        addRow("max_retries 256", u"b.jsonl"_s, "{\"max_retries\":256}\n",
               {u"line 1: max_retries: must be an integer from 0 to 255, not 256"_s});
        addRow("timeout_ms 0", u"b.jsonl"_s, "{\"timeout_ms\":0}\n",
               {u"line 1: timeout_ms: must be an integer from 1 to 86400000, not 0"_s});
        addRow("timeout_ms 86400001", u"b.jsonl"_s, "{\"timeout_ms\":86400001}\n",
               {u"line 1: timeout_ms: must be an integer from 1 to 86400000, not 86400001"_s});
        addRow("timeout_ms 86400000.5", u"b.jsonl"_s, "{\"timeout_ms\":86400000.5}\n",
               {u"line 1: timeout_ms: must be an integer from 1 to 86400000, not 86400000.5"_s});
        addRow("duration_ms -5", u"b.jsonl"_s, "{\"duration_ms\":-5}\n",
               {u"line 1: duration_ms: must be an integer from 0 to 86400000, not -5"_s});
        addRow("csv priority abc", u"b.csv"_s, "kind,priority\nsimulate,1\nsimulate,abc\n",
               {u"line 3: "_s + PriorityRange + u"the text \"abc\""_s});
        addRow("csv priority 1e309", u"b.csv"_s, "priority\n1e309\n",
               {u"line 2: priority: the number is too large to read"_s});

        // Fields.
        addRow("unknown field", u"b.jsonl"_s, "{\"kind\":\"simulate\",\"prioritty\":3}\n",
               {u"line 1: prioritty: unknown field for a simulate task (its fields: "_s + CommonFields +
                u", duration_ms, fail_attempts)"_s});
        addRow("field of another kind", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"ls\",\"duration_ms\":5}\n",
               {u"line 1: duration_ms: unknown field for a command task (its fields: "_s + CommonFields +
                u", program, args, cwd, env)"_s});
        addRow("unknown kind", u"b.jsonl"_s, "{\"kind\":\"simulat\"}\n",
               {u"line 1: kind: unknown kind \"simulat\" (known kinds: simulate, checksum, command)"_s});
        addRow("kind not a string", u"b.jsonl"_s, "{\"kind\":3}\n",
               {u"line 1: kind: must be a string, not a number"_s});
        addRow("field appears twice", u"b.jsonl"_s, "{\"priority\":1,\"kind\":\"simulate\",\"priority\":2}\n",
               {u"line 1: priority: appears twice in the record"_s});
        addRow(
            "json field appears twice on a later line", u"b.json"_s,
            "[\n  {\n    \"kind\": \"command\",\n    \"program\": \"ls\",\n    \"program\": \"rm\"\n  }\n]\n",
            {u"line 5: program: appears twice in the record"_s});
        addRow("command without program", u"b.jsonl"_s, "{\"kind\":\"command\",\"args\":[\"-l\"]}\n",
               {u"line 1: program: is required"_s});
        addRow("checksum without path", u"b.jsonl"_s, "{\"kind\":\"checksum\",\"algorithm\":\"sha256\"}\n",
               {u"line 1: path: is required"_s});
        addRow("args not an array", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"ls\",\"args\":\"-l\"}\n",
               {u"line 1: args: must be an array of strings, not the text \"-l\""_s});
        addRow("args with a number", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"ls\",\"args\":[\"-l\",7]}\n",
               {u"line 1: args: element 1 must be a string, not a number"_s});
        addRow("args nested too deeply", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"ls\",\"args\":" + QByteArray(40, '[') +
                   QByteArray(40, ']') + "}\n",
               {u"line 1: args: is nested too deeply"_s});
        addRow("env not an object", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"ls\",\"env\":[\"A=1\"]}\n",
               {u"line 1: env: must be an object of strings, not an array"_s});
        addRow("env with a number", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"ls\",\"env\":{\"A\":1}}\n",
               {u"line 1: env: \"A\" must be a string, not a number"_s});
        addRow("env variable twice", u"b.jsonl"_s,
               "{\"kind\":\"command\",\"program\":\"ls\",\"env\":{\"A\":\"1\",\"A\":\"2\"}}\n",
               {u"line 1: env: \"A\" appears twice"_s});
        addRow("unknown user after a known one", u"b.jsonl"_s,
               "{\"user\":\"ann@example.com\"}\n{\"user\":\"ANN@example.com\"}\n{\"user\":\"bob@example."
               "com\"}\n",
               {u"line 3: user: no user has the e-mail address bob@example.com; add the user first"_s});
        addRow("user not a string", u"b.jsonl"_s, "{\"user\":5}\n",
               {u"line 1: user: must be a string, not a number"_s});
        addRow("several problems in one record", u"b.jsonl"_s,
               "{\"priority\":300,\"max_retries\":-1,\"user\":\"bob@example.com\"}\n",
               {u"line 1: "_s + PriorityRange + u"300"_s,
                u"line 1: max_retries: must be an integer from 0 to 255, not -1"_s,
                u"line 1: user: no user has the e-mail address bob@example.com; add the user first"_s});

        // The shape of the document.
        addRow("jsonl array line", u"b.jsonl"_s, "{\"priority\":1}\n[{\"priority\":2}]\n",
               {u"line 2: "_s + AnObject});
        addRow("jsonl number line", u"b.jsonl"_s, "42\n", {u"line 1: "_s + AnObject});
        addRow(
            "json top level object", u"b.json"_s, "{\"priority\": 1}\n",
            {u"line 1: a .json batch must be one JSON array of task objects, such as [{\"kind\":\"simulate\"}]"_s});
        addRow(
            "json non-object element", u"b.json"_s, "[\n  {\"priority\": 1},\n  5\n]\n",
            {u"line 3: each element of the array must be a JSON object such as {\"kind\":\"simulate\"}"_s});
        addRow(
            "json nested array element", u"b.json"_s, "[\n  [{\"priority\": 1}]\n]\n",
            {u"line 2: each element of the array must be a JSON object such as {\"kind\":\"simulate\"}"_s});
        addRow("json text after the array", u"b.json"_s, "[\n  {\"priority\": 1}\n]\n{\"priority\": 2}\n",
               {u"line 4: unexpected text after the array"_s});

        // CSV structure.
        addRow("csv too many fields", u"b.csv"_s, "kind,priority\nsimulate,1\nsimulate,2,3\n",
               {u"line 3: the row has 3 field(s); the header has 2 (quote fields that hold commas or line "
                u"breaks)"_s});
        addRow("csv too few fields", u"b.csv"_s, "kind,priority\nsimulate\n",
               {u"line 2: the row has 1 field(s); the header has 2 (quote fields that hold commas or line "
                u"breaks)"_s});
        addRow("csv unterminated quote", u"b.csv"_s,
               "kind,program,cwd\ncommand,ls,/tmp\ncommand,ls,\"/srv\ncommand,ls,/tmp\n",
               {u"line 3: cwd: the quoted field is never closed (a \" is missing)"_s});
        addRow(
            "csv quote inside an unquoted field", u"b.csv"_s, "kind,program\ncommand,l\"s\n",
            {u"line 2: program: a quote inside an unquoted field; quote the whole field and write the quote "
             u"as \"\""_s});
        addRow("csv text after a closing quote", u"b.csv"_s, "kind,program\ncommand,\"ls\"x\n",
               {u"line 2: program: unexpected text after the closing quote (a quote inside a quoted field is "
                u"written \"\")"_s});
        addRow("csv unknown column", u"b.csv"_s, "kind,priority,retries\nsimulate,1,2\n",
               {u"line 1: retries: unknown column (the columns a batch may have: "_s + CsvColumns + u')'});
        addRow("csv duplicate column", u"b.csv"_s, "kind,priority,priority\nsimulate,1,2\n",
               {u"line 1: priority: the column appears twice in the header"_s});
        addRow("csv unnamed column", u"b.csv"_s, "kind,,priority\nsimulate,1,2\n",
               {u"line 1: column 2 of the header has no name"_s});
        addRow("csv header only", u"b.csv"_s, "kind,priority\n", {NoTasks});
        addRow(
            "csv args not JSON", u"b.csv"_s, "kind,program,args\ncommand,ls,-l\n",
            {u"line 2: args: must hold JSON text such as [\"-k\",\"a.log\"] (illegal value at character 2)"_s});
        addRow(
            "csv env not JSON", u"b.csv"_s, "kind,program,env\ncommand,ls,LANG=C\n",
            {u"line 2: env: must hold JSON text such as {\"LANG\":\"C\"} (illegal value at character 2)"_s});

        // Empty files and file types.
        addRow("empty jsonl", u"b.jsonl"_s, "", {NoTasks});
        addRow("empty json", u"b.json"_s, "", {NoTasks});
        addRow("empty csv", u"b.csv"_s, "", {NoTasks});
        addRow("json empty array", u"b.json"_s, "[ ]\n", {NoTasks});
        addRow("only blank lines", u"b.jsonl"_s, "\n\r\n   \n\t\n\n", {NoTasks});
        addRow("only a byte order mark", u"b.jsonl"_s, "\xef\xbb\xbf", {NoTasks});
        addRow("unsupported extension", u"b.txt"_s, "{\"priority\":1}\n",
               {u"batch: %1 has an unsupported type \".txt\"; use .jsonl or .ndjson (JSON Lines), .json (an "
                u"array) or .csv"_s});

        // Line numbers.
        addRow("jsonl problem after blank lines", u"b.jsonl"_s,
               "\n\n{\"priority\":1}\n\n{\"priority\":300}\n", {u"line 5: "_s + PriorityRange + u"300"_s});
        addRow("jsonl CRLF problem on line 3", u"b.jsonl"_s,
               "{\"priority\":1}\r\n{\"priority\":2}\r\n{\"priority\":300}\r\n",
               {u"line 3: "_s + PriorityRange + u"300"_s});
        addRow("csv CRLF problem on line 3", u"b.csv"_s, "priority,kind\r\n1,simulate\r\n300,simulate\r\n",
               {u"line 3: "_s + PriorityRange + u"300"_s});
        addRow("jsonl BOM and a problem on line 1", u"b.jsonl"_s, "\xef\xbb\xbf{\"priority\":300}\n",
               {u"line 1: "_s + PriorityRange + u"300"_s});
        addRow("csv BOM and a problem on line 1", u"b.csv"_s, "\xef\xbb\xbfkind,prio\nsimulate,1\n",
               {u"line 1: prio: unknown column (the columns a batch may have: "_s + CsvColumns + u')'});
        addRow("json element starting on line 4", u"b.json"_s,
               "[\n  {\"priority\": 1},\n  {\"priority\": 2},\n  {\n    \"kind\": \"simulate\",\n"
               "    \"priority\": 300\n  }\n]\n",
               {u"line 4: "_s + PriorityRange + u"300"_s});
    }

    void hostile()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, expected);
        const QString path = write(file, bytes);
        for (QString& line : expected)
            line.replace(u"%1"_s, path);

        const auto loaded = import(path);
        const QStringList actual = problems(loaded);
        QCOMPARE(actual.first(), expected.first());
        QCOMPARE(actual, expected);
        QVERIFY(loaded.error().invalidInput);
        QCOMPARE(storedTasks(), u"0"_s);
    }

    /// Limits: a line or row of exactly 1 MiB (without its line break) loads; one byte more fails.
    void lengthLimit_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected"); // the first problem; empty when the batch loads

        const QByteArray valid = "{\"priority\":1}\n";
        QTest::newRow("jsonl line of 1 MiB")
            << u"b.jsonl"_s << QByteArray(valid + commandLine(MiB) + '\n') << QString();
        QTest::newRow("jsonl line of 1 MiB + 1 on line 2")
            << u"b.jsonl"_s << QByteArray(valid + commandLine(MiB + 1) + '\n' + valid)
            << u"line 2: the line is longer than 1 MiB"_s;
        QTest::newRow("jsonl line of 3 MiB on line 1")
            << u"b.jsonl"_s << QByteArray(commandLine(3 * MiB) + '\n' + valid)
            << u"line 1: the line is longer than 1 MiB"_s;
        QTest::newRow("jsonl line of 3 MiB on line 1 after a BOM")
            << u"b.jsonl"_s << QByteArray("\xef\xbb\xbf" + commandLine(3 * MiB) + '\n' + valid)
            << u"line 1: the line is longer than 1 MiB"_s;
        const QByteArray header = "kind,program\n";
        const auto row = [](qint64 length) -> QByteArray { return "command," + QByteArray(length - 8, 'a'); };
        QTest::newRow("csv row of 1 MiB - 1")
            << u"b.csv"_s << QByteArray(header + row(MiB - 1) + "\ncommand,ls\n") << QString();
        QTest::newRow("csv row of 1 MiB")
            << u"b.csv"_s << QByteArray(header + row(MiB) + "\ncommand,ls\n") << QString();
        QTest::newRow("csv row of 1 MiB + 1")
            << u"b.csv"_s << QByteArray(header + row(MiB + 1) + "\ncommand,ls\n")
            << u"line 2: the row is longer than 1 MiB"_s;
    }

    void lengthLimit()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const auto loaded = loader().load(write(file, bytes));
        const QString first = loaded ? QString() : problems(loaded).first();
        QCOMPARE(first, expected);
    }

    void manyProblems_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("firstLine"); // the line of the first bad record

        QByteArray jsonl, json = "[\n", csv = "priority\n";
        for (int i = 0; i < 250; ++i) {
            jsonl += "{\"priority\":300}\n";
            json += i == 0 ? "{\"priority\":300}\n" : ",{\"priority\":300}\n";
            csv += "300\n";
        }
        json += "]\n";
        QTest::newRow("jsonl") << u"b.jsonl"_s << jsonl << 1;
        QTest::newRow("json") << u"b.json"_s << json << 2;
        QTest::newRow("csv") << u"b.csv"_s << csv << 2;
    }

    void manyProblems()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(int, firstLine);
        QStringList expected;
        for (int i = 0; i < 100; ++i)
            expected.append(u"line "_s + QString::number(firstLine + i) + u": "_s + PriorityRange + u"300"_s);
        expected.append(u"… and 150 more problem(s)"_s);
        const auto loaded = import(write(file, bytes));
        QCOMPARE(problems(loaded), expected);
        QCOMPARE(storedTasks(), u"0"_s);
    }

    void sameTasksInEveryFormat()
    {
        // JSON Lines with a BOM, CRLF line endings and a blank line.
        const QByteArray jsonl =
            "\xef\xbb\xbf{\"kind\":\"simulate\",\"priority\":5,\"max_retries\":2,\"duration_ms\":250,"
            "\"fail_attempts\":1,\"user\":\"ann@example.com\"}\r\n"
            "\r\n"
            "{\"kind\":\"command\",\"program\":\"gzip\",\"args\":[\"-k\",\"a, "
            "b.log\"],\"env\":{\"LANG\":\"C\"},"
            "\"priority\":9,\"timeout_ms\":5000,\"user\":\"ann@example.com\"}\r\n"
            "{\"kind\":\"command\",\"program\":\"gzip\",\"args\":[\"say \\\"hi\\\"\"],"
            "\"cwd\":\"/srv/two\\nlines\",\"priority\":5,\"max_retries\":1}\r\n";
        // Pretty-printed: every element spans several lines.
        const QByteArray json = "[\n"
                                "  {\n"
                                "    \"kind\": \"simulate\",\n"
                                "    \"priority\": 5,\n"
                                "    \"max_retries\": 2,\n"
                                "    \"duration_ms\": 250,\n"
                                "    \"fail_attempts\": 1,\n"
                                "    \"user\": \"ann@example.com\"\n"
                                "  },\n"
                                "  {\n"
                                "    \"kind\": \"command\",\n"
                                "    \"program\": \"gzip\",\n"
                                "    \"args\": [\n"
                                "      \"-k\",\n"
                                "      \"a, b.log\"\n"
                                "    ],\n"
                                "    \"env\": {\n"
                                "      \"LANG\": \"C\"\n"
                                "    },\n"
                                "    \"priority\": 9,\n"
                                "    \"timeout_ms\": 5000,\n"
                                "    \"user\": \"ann@example.com\"\n"
                                "  },\n"
                                "  {\n"
                                "    \"kind\": \"command\",\n"
                                "    \"program\": \"gzip\",\n"
                                "    \"args\": [\"say \\\"hi\\\"\"],\n"
                                "    \"cwd\": \"/srv/two\\nlines\",\n"
                                "    \"priority\": 5,\n"
                                "    \"max_retries\": 1\n"
                                "  }\n"
                                "]\n";
        // A quoted comma, doubled quotes, and a line break inside quotes.
        const QByteArray csv =
            "kind,priority,max_retries,timeout_ms,user,duration_ms,fail_attempts,program,args,cwd,"
            "env\n"
            "simulate,5,2,,ann@example.com,250,1,,,,\n"
            "command,9,,5000,ann@example.com,,,gzip,\"[\"\"-k\"\",\"\"a, b.log\"\"]\",,"
            "\"{\"\"LANG\"\":\"\"C\"\"}\"\n"
            "command,5,1,,,,,gzip,\"[\"\"say \\\"\"hi\\\"\"\"\"]\",\"/srv/two\nlines\",\n";

        const int simulate = KindRegistry::builtin().indexOf(u"simulate");
        const int command = KindRegistry::builtin().indexOf(u"command");
        TaskSpec first;
        first.kind = simulate;
        first.priority = 5;
        first.maxRetries = 2;
        first.userId = m_annId;
        TaskSpec second;
        second.kind = command;
        second.priority = 9;
        second.timeoutMs = 5000;
        second.userId = m_annId;
        TaskSpec third;
        third.kind = command;
        third.priority = 5;
        third.maxRetries = 1;
        const QString params[] = {
            u"{\"duration_ms\":250,\"fail_attempts\":1}"_s,
            u"{\"args\":[\"-k\",\"a, b.log\"],\"env\":{\"LANG\":\"C\"},\"program\":\"gzip\"}"_s,
            u"{\"args\":[\"say \\\"hi\\\"\"],\"cwd\":\"/srv/two\\nlines\",\"program\":\"gzip\"}"_s,
        };
        QStringList expected;
        for (const TaskSpec* spec : {&first, &second, &third})
            expected.append(
                describe(*spec).replace(u"params=(none)"_s, u"params="_s + params[expected.size()]));

        const std::pair<QString, QByteArray> files[] = {
            {u"b.jsonl"_s, jsonl}, {u"b.json"_s, json}, {u"b.csv"_s, csv}};
        for (const auto& [name, bytes] : files) {
            const auto loaded = loader().load(write(name, bytes));
            QCOMPARE(describe(loaded), expected);
            const BatchSummary& summary = loaded->summary;
            QCOMPARE(summary.tasks(), qint64(3));
            QCOMPARE(summary.byKind(), (QMap<QString, qint64>{{u"command"_s, 2}, {u"simulate"_s, 1}}));
            QCOMPARE(summary.byPriority(), (QMap<int, qint64>{{5, 2}, {9, 1}}));
            QCOMPARE(summary.programs(), QStringList{u"gzip"_s});
            QVERIFY(summary.runsCommands());
        }
    }

    void csvLineNumbersAfterQuotedLineBreaks_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");

        QTest::newRow("LF") << QByteArray("kind,program,cwd,priority\n"
                                          "command,ls,\"/a\nb\",1\n"
                                          "command,ls,\"x\n\ny\",2\n"
                                          "command,ls,/tmp,300\n")
                            << u"line 7: "_s + PriorityRange + u"300"_s;
        QTest::newRow("CRLF") << QByteArray("kind,program,cwd,priority\r\n"
                                            "command,ls,\"/a\r\nb\",1\r\n"
                                            "command,ls,\"x\r\n\r\ny\",2\r\n"
                                            "command,ls,/tmp,300\r\n")
                              << u"line 7: "_s + PriorityRange + u"300"_s;
        QTest::newRow("bad row spanning lines") << QByteArray("kind,program,cwd,priority\n"
                                                              "command,ls,/tmp,1\n"
                                                              "command,ls,\"/a\nb\nc\",300\n")
                                                << u"line 3: "_s + PriorityRange + u"300"_s;
        QTest::newRow("broken row after a multi-line row") << QByteArray("kind,program,cwd,priority\n"
                                                                         "command,ls,\"/a\nb\",1\n"
                                                                         "command,l\"s,/tmp,1\n")
                                                           << u"line 4: program: a quote inside an unquoted "
                                                              u"field; quote the whole field and write the "
                                                              u"quote as \"\""_s;
    }

    void csvLineNumbersAfterQuotedLineBreaks()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const auto loaded = import(write(u"b.csv"_s, bytes));
        QCOMPARE(problems(loaded), QStringList{expected});
        QCOMPARE(storedTasks(), u"0"_s);
    }

    void progressReachesTheEnd()
    {
        constexpr int records = 100'000;
        QByteArray bytes;
        for (int i = 0; i < records; ++i)
            bytes += "{\"priority\":3,\"duration_ms\":10}\n";
        QVERIFY(bytes.size() > 3'000'000);
        QBuffer buffer(&bytes);
        QVERIFY(buffer.open(QIODevice::ReadOnly));

        QList<BatchProgress> calls;
        BatchLoader::Options options;
        options.progress = [&calls](const BatchProgress& progress) { calls.append(progress); };
        const auto loaded = loader().read(buffer, BatchLoader::Format::JsonLines, u"memory.jsonl"_s, options);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
        QCOMPARE(loaded->specs.size(), std::size_t(records));

        QVERIFY2(calls.size() > 1, qPrintable(QString::number(calls.size())));
        QList<qint64> counts;
        for (const BatchProgress& call : std::as_const(calls)) {
            QCOMPARE(call.bytesTotal, qint64(bytes.size()));
            QVERIFY(counts.isEmpty() || call.records >= counts.last());
            counts.append(call.records);
        }
        QCOMPARE(bytesReadProblem(calls, bytes.size()), QString());
        QCOMPARE(calls.last().records, qint64(records));
        QVERIFY(calls.first().records < calls.last().records);
    }

    void cancelStopsTheLoad()
    {
        QByteArray bytes;
        while (bytes.size() < 3'000'000)
            bytes += "{\"priority\":3,\"duration_ms\":10}\n";
        QBuffer buffer(&bytes);
        QVERIFY(buffer.open(QIODevice::ReadOnly));

        std::atomic_bool cancel = false;
        QList<BatchProgress> calls;
        BatchLoader::Options options;
        options.cancel = &cancel;
        options.progress = [&](const BatchProgress& progress) {
            calls.append(progress);
            cancel = true;
        };
        const auto loaded = loader().read(buffer, BatchLoader::Format::JsonLines, u"memory.jsonl"_s, options);
        QVERIFY(!loaded.ok());
        QVERIFY2(loaded.error().message.contains(u"cancelled"_s), qPrintable(loaded.error().message));
        QCOMPARE(calls.size(), 1);
        QVERIFY(buffer.pos() < bytes.size() / 2); // the rest of the file was never read
        QCOMPARE(bytesReadProblem(calls, BatchInput::ChunkBytes), QString());
    }

    void injectionAndUnicodeRoundTrip_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");

        QTest::newRow("SQL") << u"'; DROP TABLE tasks; --"_s
                             << QStringList{u"'); DELETE FROM users; --"_s, u"\" OR 1=1 --"_s, u"%_"_s};
        QTest::newRow("quotes and backslashes")
            << u"C:\\Program Files\\\"quoted\"\\tool.exe"_s
            << QStringList{u"\\\\server\\share"_s, u"\""_s, u"\\\""_s, u"\\\\\""_s, u"''"_s, u"a\nb\r\nc"_s};
        QTest::newRow("unicode") << u"/opt/bin/🚀-launch"_s
                                 << QStringList{u"héllo wörld"_s, u"日本語"_s, u"👩‍👩‍👧"_s,
                                                u"a\u2028b"_s,    u"مرحبا"_s,  u"\u00a0"_s};
        QTest::newRow("CSV and JSON metacharacters")
            << u"a,b \"c\""_s
            << QStringList{u","_s, u"{\"x\":1}"_s, u"[1,2]"_s, u"\"\""_s, u" padded "_s, u"\t"_s, u"#"_s};
    }

    void injectionAndUnicodeRoundTrip()
    {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        const QJsonObject record{{u"kind"_s, u"command"_s},
                                 {u"program"_s, program},
                                 {u"args"_s, QJsonArray::fromStringList(args)}};
        const QByteArray object = QJsonDocument(record).toJson(QJsonDocument::Compact);
        const QByteArray csv = "kind,program,args\ncommand," + csvCell(program) + ',' +
                               csvCell(QString::fromUtf8(jsonText(QJsonArray::fromStringList(args)))) + '\n';
        const QJsonObject params{{u"program"_s, program}, {u"args"_s, QJsonArray::fromStringList(args)}};

        const std::pair<QString, QByteArray> files[] = {
            {u"b.jsonl"_s, QByteArray(object + '\n')},
            {u"b.json"_s, QByteArray("[\n" + object + "\n]\n")},
            {u"b.csv"_s, csv},
        };
        for (const auto& [name, bytes] : files) {
            const auto loaded = import(write(name, bytes));
            QVERIFY2(loaded.ok(), qPrintable(name + u": "_s + (loaded ? QString() : loaded.error().message)));
            QCOMPARE(loaded->specs.size(), std::size_t(1));
            QCOMPARE(loaded->specs.front().params->toJson(), params);
            QCOMPARE(loaded->summary.programs(), QStringList{program});
        }
        // Stored as given, in a tasks table that is still there.
        QCOMPARE(storedTasks(), u"3"_s);
        QSqlQuery query = m_ws->database().query();
        QVERIFY(query.exec(u"SELECT params FROM tasks ORDER BY id"_s));
        int rows = 0;
        while (query.next()) {
            ++rows;
            QCOMPARE(QJsonDocument::fromJson(query.value(0).toString().toUtf8()).object(), params);
        }
        QCOMPARE(rows, 3);
    }
};

QTEST_GUILESS_MAIN(TestBatchLoader)
#include "tst_batchloader.moc"
