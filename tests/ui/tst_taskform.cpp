#include "FileDialogs.h"
#include "KindRegistry.h"
#include "TaskForm.h"
#include "TaskRecordParser.h"
#include "Workspace.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace workdeck;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 DefaultTimeoutMs = 7000;
// Generous: a loaded build machine may be slow to start a process; passing tests never wait it out.
constexpr int FinishTimeoutMs = 30'000;

const QStringList simulateFields{u"duration_ms"_s, u"fail_attempts"_s};
const QStringList checksumFields{u"path"_s, u"browsePath"_s, u"algorithm"_s, u"expect"_s};
const QStringList commandFields{u"program"_s, u"args"_s, u"cwd"_s, u"browseCwd"_s};

/// What the form's own parser says about `record`, to compare the form's messages with core's.
QString coreProblem(Workspace& workspace, const QJsonObject& record, const QString& field)
{
    TaskRecordParser parser(workspace.kinds(), [&](const QString& e) { return workspace.userIdByEmail(e); });
    parser.setDefaultTimeoutMs(DefaultTimeoutMs);
    QStringList problems;
    parser.parse(record, problems);
    for (const QString& problem : std::as_const(problems)) {
        if (problem.startsWith(field + u": "))
            return problem.sliced(field.size() + 2);
    }
    return u"(core reports no problem with "_s + field + u')';
}

} // namespace

class TestTaskForm : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<TaskForm> m_form;
    User m_ada;
    User m_grace;

    template <typename T = QWidget> T* child(const QString& name)
    {
        auto* found = m_form->findChild<T*>(name);
        if (!found)
            qFatal("no child %s", qPrintable(name));
        return found;
    }
    QLineEdit* edit(const QString& name) { return child<QLineEdit>(name); }
    QSpinBox* spin(const QString& name) { return child<QSpinBox>(name); }
    QComboBox* combo(const QString& name) { return child<QComboBox>(name); }
    QLabel* message(const QString& field) { return child<QLabel>(field + u"Message"); }
    QPushButton* submit() { return child<QPushButton>(u"submit"_s); }

    /// Replaces the text of a line edit or spin box by typing, as a person would.
    void type(QWidget* field, const QString& text)
    {
        field->setFocus();
        QTest::keySequence(field, QKeySequence::SelectAll);
        if (text.isEmpty())
            QTest::keyClick(field, Qt::Key_Delete);
        else
            QTest::keyClicks(field, text);
    }

    /// Picks a combo box entry with the keyboard: Home, then Down until it is reached.
    bool choose(QComboBox* box, const QString& startOfText)
    {
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Home);
        for (int i = 0; i < box->count(); ++i) {
            if (box->currentText().startsWith(startOfText))
                return true;
            QTest::keyClick(box, Qt::Key_Down);
        }
        return false;
    }

    qint64 storedTasks() const
    {
        QSqlQuery q = m_workspace->database().query();
        if (!q.exec(u"SELECT COUNT(*) FROM tasks"_s) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    /// A column of the task's row, after every change the pool made so far is written; a text
    /// in parentheses when there is no such row.
    QVariant column(TaskId id, const QString& name)
    {
        m_workspace->pool().flushEvents();
        if (auto flushed = m_workspace->writer().flush(); !flushed)
            return QString(u"(flush failed: "_s + flushed.error().message + u')');
        QSqlQuery q = m_workspace->database().query();
        q.prepare(u"SELECT "_s + name + u" FROM tasks WHERE id = ?"_s);
        q.addBindValue(qulonglong(id));
        if (!q.exec() || !q.next())
            return QString(u"(no task "_s + QString::number(id) + u')');
        return q.value(0);
    }

    /// "succeeded", or the state and the error, so that a failing comparison says why.
    QString outcome(TaskId id)
    {
        const QString state = column(id, u"state"_s).toString();
        const QString error = column(id, u"error"_s).toString();
        return error.isEmpty() ? state : state + u": "_s + error;
    }

    bool finished(TaskId id)
    {
        const auto state = taskStateFromString(column(id, u"state"_s).toString());
        return state && isTerminal(*state);
    }

    QJsonObject params(TaskId id)
    {
        return QJsonDocument::fromJson(column(id, u"params"_s).toString().toUtf8()).object();
    }

    /// Submits with Enter and returns the queued task's id, or 0 when nothing was queued.
    TaskId submitWithEnter(QWidget* from)
    {
        QSignalSpy queued(m_form.get(), &TaskForm::taskQueued);
        QTest::keyClick(from, Qt::Key_Return);
        return queued.isEmpty() ? 0 : queued.at(0).at(0).value<TaskId>();
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        FileDialogs::clearNextAnswers();
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        WorkerPool::Options options;
        options.workers = 2;
        options.backoffBaseMs = 0; // retries at once
        options.backoffCapMs = 0;
        auto workspace = Workspace::open(m_dir->filePath(u"w.sqlite"_s), KindRegistry::builtin(), options);
        QVERIFY2(workspace, workspace ? "" : qPrintable(workspace.error().message));
        m_workspace = std::move(*workspace);
        auto started = m_workspace->start();
        QVERIFY2(started, started ? "" : qPrintable(started.error().message));
        auto ada = m_workspace->users().create({u"ada@example.com"_s, u"Ada Lovelace"_s});
        auto grace = m_workspace->users().create({u"grace@example.com"_s, u"Grace Hopper"_s});
        QVERIFY(ada && grace);
        m_ada = *ada;
        m_grace = *grace;

        m_form = std::make_unique<TaskForm>(*m_workspace, DefaultTimeoutMs);
        m_form->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_form.get()));
    }

    void cleanup()
    {
        m_form.reset();
        if (m_workspace)
            QVERIFY(m_workspace->close(0));
        m_workspace.reset();
        m_dir.reset();
        QCOMPARE(FileDialogs::pendingAnswers(), 0); // every pre-answered dialog was opened
    }

    void startsReadyWithDefaults()
    {
        QCOMPARE(m_form->windowTitle(), u"Add Task"_s);
        QCOMPARE(submit()->text(), u"Add Task"_s);
        QStringList kinds;
        for (int i = 0; i < combo(u"kind"_s)->count(); ++i)
            kinds.append(combo(u"kind"_s)->itemText(i));
        QCOMPARE(kinds, m_workspace->kinds().names());
        QCOMPARE(combo(u"kind"_s)->currentText(), u"simulate"_s);
        QCOMPARE(spin(u"priority"_s)->value(), 0);
        QCOMPARE(spin(u"max_retries"_s)->value(), 0);
        QCOMPARE(spin(u"timeout_ms"_s)->value(), DefaultTimeoutMs);
        QComboBox* user = combo(u"user"_s);
        QCOMPARE(user->count(), 3);
        QCOMPARE(user->itemText(0), u"(nobody)"_s);
        QCOMPARE(user->currentData().toString(), QString());
        QStringList emails{user->itemData(1).toString(), user->itemData(2).toString()};
        emails.sort();
        QCOMPARE(emails, (QStringList{m_ada.email, m_grace.email}));
        QVERIFY(user->itemText(1).contains(u" <"_s)); // name and e-mail
        // A simulate task needs nothing more: its parameters have defaults.
        QVERIFY(submit()->isEnabled());
        QCOMPARE(m_form->problems(), QStringList());
    }

    void switchingKindShowsOnlyItsFields_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("shown");
        QTest::newRow("checksum") << u"checksum"_s << checksumFields;
        QTest::newRow("command") << u"command"_s << commandFields;
        QTest::newRow("simulate (back again)") << u"simulate"_s << simulateFields;
    }

    void switchingKindShowsOnlyItsFields()
    {
        QFETCH(QString, kind);
        QFETCH(QStringList, shown);
        const QSize before = m_form->size();
        QVERIFY(choose(combo(u"kind"_s), u"command"_s)); // start away from the kind under test
        QVERIFY(choose(combo(u"kind"_s), kind));
        QCOMPARE(combo(u"kind"_s)->currentText(), kind);
        for (const QString& name : simulateFields + checksumFields + commandFields)
            QVERIFY2(child(name)->isVisible() == shown.contains(name), qPrintable(name));
        for (const QString& name : {u"priority"_s, u"max_retries"_s, u"timeout_ms"_s, u"user"_s})
            QVERIFY2(child(name)->isVisible(), qPrintable(name));
        QCOMPARE(m_form->size(), before); // no jump: every kind's page gets the same room
    }

    void simulateRunsToSucceeded()
    {
        type(edit(u"duration_ms"_s), u"0"_s);
        type(spin(u"fail_attempts"_s), u"1"_s);
        type(spin(u"max_retries"_s), u"1"_s);
        type(spin(u"priority"_s), u"7"_s);
        QVERIFY(choose(combo(u"user"_s), u"Ada"_s));
        QVERIFY(submit()->isEnabled());

        const TaskId id = submitWithEnter(edit(u"duration_ms"_s));
        QVERIFY(id != 0);
        QCOMPARE(m_form->result(), int(QDialog::Accepted));
        QTRY_VERIFY_WITH_TIMEOUT(finished(id), FinishTimeoutMs);
        QCOMPARE(outcome(id), u"succeeded"_s);
        QCOMPARE(column(id, u"attempts"_s).toInt(), 2); // one failure on purpose, then the retry
        QCOMPARE(column(id, u"priority"_s).toInt(), 7);
        QCOMPARE(column(id, u"timeout_ms"_s).toLongLong(), DefaultTimeoutMs);
        QCOMPARE(column(id, u"user_id"_s).toString(), m_ada.id);
        QCOMPARE(params(id).value(u"duration_ms"_s).toInteger(), 0);
    }

    void emptyDurationTakesCoreDefault()
    {
        type(spin(u"priority"_s), u"2"_s);
        QVERIFY(edit(u"duration_ms"_s)->text().isEmpty());
        QVERIFY(edit(u"duration_ms"_s)->placeholderText().contains(u"200"_s));
        QVERIFY(submit()->isEnabled());
        const TaskId id = submitWithEnter(spin(u"priority"_s));
        QVERIFY(id != 0);
        QCOMPARE(params(id).value(u"duration_ms"_s).toInteger(), 200); // 100 + 50 × priority
        QVERIFY(column(id, u"user_id"_s).isNull());                    // (nobody)
    }

    void invalidDurationShowsCoreMessage_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QJsonValue>("asRecord");
        QTest::newRow("negative") << u"-5"_s << u"-5"_s << QJsonValue(-5);
        QTest::newRow("only a sign") << u"-"_s << u"-"_s << QJsonValue(u"-"_s);
        QTest::newRow("above a day") << u"86400001"_s << u"86400001"_s << QJsonValue(86400001);
        // The validator keeps letters out altogether.
        QTest::newRow("letters") << u"-1x2"_s << u"-12"_s << QJsonValue(-12);
    }

    void invalidDurationShowsCoreMessage()
    {
        QFETCH(QString, typed);
        QFETCH(QString, shown);
        QFETCH(QJsonValue, asRecord);
        QCOMPARE(message(u"duration_ms"_s)->text(), QString()); // quiet until typed in
        type(edit(u"duration_ms"_s), typed);
        QCOMPARE(edit(u"duration_ms"_s)->text(), shown);

        const QJsonObject record{{u"kind"_s, u"simulate"_s}, {u"duration_ms"_s, asRecord}};
        QCOMPARE(message(u"duration_ms"_s)->text(), coreProblem(*m_workspace, record, u"duration_ms"_s));
        QVERIFY(message(u"duration_ms"_s)->isVisible());
        QVERIFY(!submit()->isEnabled());
        QCOMPARE(submitWithEnter(edit(u"duration_ms"_s)), TaskId(0));
        QVERIFY(m_form->isVisible());
        QCOMPARE(storedTasks(), 0);

        // Emptying it again means the default, which is fine.
        type(edit(u"duration_ms"_s), QString());
        QCOMPARE(message(u"duration_ms"_s)->text(), QString());
        QVERIFY(submit()->isEnabled());
    }

    void checksumWithExpectedDigestRunsToSucceeded()
    {
        const QString path = m_dir->filePath(u"data.txt"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("the quick brown fox\n");
        file.close();
        const QString digest = QString::fromLatin1(
            QCryptographicHash::hash("the quick brown fox\n", QCryptographicHash::Sha256).toHex());

        QVERIFY(choose(combo(u"kind"_s), u"checksum"_s));
        type(edit(u"path"_s), path);
        QCOMPARE(combo(u"algorithm"_s)->currentText(), u"sha256"_s); // core's default comes first
        type(edit(u"expect"_s), digest.toUpper());
        QCOMPARE(m_form->problems(), QStringList());
        const TaskId id = submitWithEnter(edit(u"expect"_s));
        QVERIFY(id != 0);
        QTRY_VERIFY_WITH_TIMEOUT(finished(id), FinishTimeoutMs);
        QCOMPARE(outcome(id), u"succeeded"_s);
        QCOMPARE(column(id, u"output"_s).toString(), digest);
        QCOMPARE(params(id).value(u"path"_s).toString(), path);
    }

    void browseFillsThePathAndAMismatchFails()
    {
        const QString path = m_dir->filePath(u"browsed file.bin"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("abc");
        file.close();

        QVERIFY(choose(combo(u"kind"_s), u"checksum"_s));
        FileDialogs::setNextAnswer(path);
        QTest::mouseClick(child<QPushButton>(u"browsePath"_s), Qt::LeftButton);
        QCOMPARE(edit(u"path"_s)->text(), path);
        QVERIFY(choose(combo(u"algorithm"_s), u"md5"_s));
        // md5("abc") with the last digit changed: well-formed, but not this file's digest.
        type(edit(u"expect"_s), u"900150983cd24fb0d6963f7d28e17f73"_s);
        QVERIFY(submit()->isEnabled());
        QTest::mouseClick(submit(), Qt::LeftButton);
        QCOMPARE(storedTasks(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(finished(1), FinishTimeoutMs);
        QVERIFY2(outcome(1).startsWith(u"failed: checksum mismatch"_s), qPrintable(outcome(1)));
    }

    void cancelledBrowseKeepsThePath()
    {
        QVERIFY(choose(combo(u"kind"_s), u"checksum"_s));
        type(edit(u"path"_s), u"/etc/hostname"_s);
        FileDialogs::setNextAnswer(QString());
        QTest::mouseClick(child<QPushButton>(u"browsePath"_s), Qt::LeftButton);
        QCOMPARE(edit(u"path"_s)->text(), u"/etc/hostname"_s);
    }

    void checksumProblemsShowUnderTheirFields()
    {
        QVERIFY(choose(combo(u"kind"_s), u"checksum"_s));
        QVERIFY(!submit()->isEnabled()); // a checksum needs a file
        QCOMPARE(message(u"path"_s)->text(), QString());

        type(edit(u"path"_s), u"x"_s);
        type(edit(u"path"_s), QString());
        const QJsonObject record{{u"kind"_s, u"checksum"_s}};
        QCOMPARE(message(u"path"_s)->text(), coreProblem(*m_workspace, record, u"path"_s));
        QVERIFY(!message(u"path"_s)->text().startsWith(u"(core"_s));

        type(edit(u"path"_s), u"/etc/hostname"_s);
        type(edit(u"expect"_s), u"abc"_s);
        const QJsonObject shortDigest{
            {u"kind"_s, u"checksum"_s}, {u"path"_s, u"/etc/hostname"_s}, {u"expect"_s, u"abc"_s}};
        QCOMPARE(message(u"path"_s)->text(), QString());
        QCOMPARE(message(u"expect"_s)->text(), coreProblem(*m_workspace, shortDigest, u"expect"_s));
        QVERIFY(!submit()->isEnabled());
        QCOMPARE(submitWithEnter(edit(u"expect"_s)), TaskId(0));
        QCOMPARE(storedTasks(), 0);
    }

    void commandRunsToSucceeded()
    {
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const QString folder = QDir(work.path()).canonicalPath();
        QVERIFY(choose(combo(u"kind"_s), u"command"_s));
        type(edit(u"program"_s), u"sh"_s);
        // QProcess::splitCommand quotes with double quotes only (not single ones, as a shell would).
        // The script succeeds only when "a b" stayed one argument and the folder was used.
        type(edit(u"args"_s),
             u"-c \"test $# -eq 2 && test $(pwd -P) = $1\" sh \""_s + folder + u"\" \"a b\""_s);
        FileDialogs::setNextAnswer(folder);
        QTest::mouseClick(child<QPushButton>(u"browseCwd"_s), Qt::LeftButton);
        QCOMPARE(edit(u"cwd"_s)->text(), folder);
        QVERIFY(choose(combo(u"user"_s), u"Grace"_s));

        const TaskId id = submitWithEnter(edit(u"args"_s));
        QVERIFY(id != 0);
        QTRY_VERIFY_WITH_TIMEOUT(finished(id), FinishTimeoutMs);
        QCOMPARE(outcome(id), u"succeeded"_s);
        const QJsonObject stored = params(id);
        QCOMPARE(stored.value(u"program"_s).toString(), u"sh"_s);
        const QJsonArray args{u"-c"_s, u"test $# -eq 2 && test $(pwd -P) = $1"_s, u"sh"_s, folder, u"a b"_s};
        QCOMPARE(stored.value(u"args"_s).toArray(), args);
        QCOMPARE(stored.value(u"cwd"_s).toString(), folder);
        QCOMPARE(column(id, u"user_id"_s).toString(), m_grace.id);
    }

    void failingCommandFails()
    {
        QVERIFY(choose(combo(u"kind"_s), u"command"_s));
        type(edit(u"program"_s), u"sh"_s);
        type(edit(u"args"_s), u"-c \"echo giving up >&2; exit 3\""_s);
        const TaskId id = submitWithEnter(edit(u"program"_s));
        QVERIFY(id != 0);
        QTRY_VERIFY_WITH_TIMEOUT(finished(id), FinishTimeoutMs);
        QCOMPARE(outcome(id), u"failed: exit status 3: giving up"_s);
    }

    void missingProgramShowsCoreMessage()
    {
        QVERIFY(choose(combo(u"kind"_s), u"command"_s));
        QVERIFY(!submit()->isEnabled());
        type(edit(u"program"_s), u"true"_s);
        QVERIFY(submit()->isEnabled());
        type(edit(u"program"_s), QString());
        const QJsonObject record{{u"kind"_s, u"command"_s}};
        QCOMPARE(message(u"program"_s)->text(), coreProblem(*m_workspace, record, u"program"_s));
        QVERIFY(!submit()->isEnabled());
        QCOMPARE(submitWithEnter(edit(u"program"_s)), TaskId(0));
        QCOMPARE(storedTasks(), 0);
    }

    void enterOnAnUntouchedFormShowsWhatIsMissing()
    {
        QVERIFY(choose(combo(u"kind"_s), u"command"_s));
        QCOMPARE(message(u"program"_s)->text(), QString());
        QCOMPARE(submitWithEnter(combo(u"kind"_s)), TaskId(0));
        QVERIFY(!message(u"program"_s)->text().isEmpty());
        QCOMPARE(QApplication::focusWidget(), edit(u"program"_s));
        QCOMPARE(storedTasks(), 0);
    }

    void userRemovedMeanwhileShowsUnderUser()
    {
        QVERIFY(m_workspace->users().remove(m_grace.id));
        QVERIFY(choose(combo(u"user"_s), u"Grace"_s));
        const QJsonObject record{{u"kind"_s, u"simulate"_s}, {u"user"_s, m_grace.email}};
        QCOMPARE(message(u"user"_s)->text(), coreProblem(*m_workspace, record, u"user"_s));
        QVERIFY(message(u"user"_s)->isVisible());
        QVERIFY(!submit()->isEnabled());
        QCOMPARE(submitWithEnter(combo(u"user"_s)), TaskId(0));
        QCOMPARE(storedTasks(), 0);
    }

    void messagesDoNotMoveTheFields()
    {
        const int failTop = spin(u"fail_attempts"_s)->mapTo(m_form.get(), QPoint()).y();
        const QSize size = m_form->size();
        type(edit(u"duration_ms"_s), u"-5"_s);
        QVERIFY(!message(u"duration_ms"_s)->text().isEmpty());
        QCOMPARE(spin(u"fail_attempts"_s)->mapTo(m_form.get(), QPoint()).y(), failTop);

        QVERIFY(choose(combo(u"kind"_s), u"checksum"_s));
        const int algorithmTop = combo(u"algorithm"_s)->mapTo(m_form.get(), QPoint()).y();
        type(edit(u"path"_s), u"x"_s);
        type(edit(u"path"_s), QString());
        QVERIFY(!message(u"path"_s)->text().isEmpty());
        QCOMPARE(combo(u"algorithm"_s)->mapTo(m_form.get(), QPoint()).y(), algorithmTop);
        QCOMPARE(m_form->size(), size);
    }

    void recordIsWhatABatchLineWouldHold()
    {
        QVERIFY(choose(combo(u"kind"_s), u"command"_s));
        type(edit(u"program"_s), u"gzip"_s);
        type(edit(u"args"_s), u"-k a.log"_s);
        type(spin(u"priority"_s), u"5"_s);
        type(spin(u"max_retries"_s), u"2"_s);
        const QJsonObject expected{{u"kind"_s, u"command"_s},
                                   {u"program"_s, u"gzip"_s},
                                   {u"args"_s, QJsonArray{u"-k"_s, u"a.log"_s}},
                                   {u"priority"_s, 5},
                                   {u"max_retries"_s, 2},
                                   {u"timeout_ms"_s, DefaultTimeoutMs}};
        QCOMPARE(m_form->record(), expected); // no empty "cwd", no "user" for (nobody)
    }
};

QTEST_MAIN(TestTaskForm)
#include "tst_taskform.moc"
