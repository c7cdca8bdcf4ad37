#include "BatchImport.h"
#include "SqlText.h"
#include "Workspace.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;
using test::sqlText;

class TestBatchImport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;

    QString writeFile(const QString& name, const QByteArray& contents)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) != contents.size())
            qFatal("cannot write %s", qPrintable(file.fileName()));
        return file.fileName();
    }

    QString simulateLines(int count, const QByteArray& extra = {})
    {
        QByteArray text;
        for (int i = 0; i < count; ++i)
            text += "{\"duration_ms\":0,\"priority\":" + QByteArray::number(i % 7) + extra + "}\n";
        return writeFile(QStringLiteral("batch.jsonl"), text);
    }

    qint64 storedTasks()
    {
        return sqlText(m_workspace->database(), QStringLiteral("SELECT count(*) FROM tasks")).toLongLong();
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("w.sqlite")));
        WorkerPool::Options options;
        options.workers = 2;
        auto workspace =
            Workspace::open(m_dir.filePath(QStringLiteral("w.sqlite")), KindRegistry::builtin(), options);
        QVERIFY2(workspace.ok(), qPrintable(workspace.ok() ? QString() : workspace.error().message));
        m_workspace = std::move(*workspace);
    }

    void cleanup() { m_workspace.reset(); }

    void loadsShowsTheSummaryThenStoresAndQueues()
    {
        BatchImport import(*m_workspace);
        QSignalSpy loaded(&import, &BatchImport::loaded);
        QSignalSpy queued(&import, &BatchImport::queued);
        QSignalSpy progress(&import, &BatchImport::progress);
        const QString path = simulateLines(20'000);
        import.load(path);
        QCOMPARE(import.stage(), BatchImport::Stage::Loading);
        QTRY_COMPARE(loaded.count(), 1);
        QCOMPARE(import.stage(), BatchImport::Stage::Loaded);
        QCOMPARE(import.summary().tasks(), 20'000);
        QCOMPARE(import.summary().byPriority().value(6), 2857);
        QVERIFY(!progress.isEmpty()); // the first chunk is always reported
        const auto first = progress.first().first().value<BatchProgress>();
        QCOMPARE(first.bytesTotal, QFileInfo(path).size());
        QCOMPARE(storedTasks(), 0); // nothing is written before store()

        import.store();
        QTRY_COMPARE(queued.count(), 1);
        QCOMPARE(queued.first().first().toLongLong(), 20'000);
        QCOMPARE(import.stage(), BatchImport::Stage::Queued);
        QCOMPARE(storedTasks(), 20'000);
        QCOMPARE(import.firstId(), TaskId(1));
        QCOMPARE(import.lastId(), TaskId(20'000));
        // queued() comes as the tasks are handed over; the pool is paused until start().
        QTRY_COMPARE(m_workspace->pool().counters().pending, 20'000);
    }

    void queuedComesBeforeAnyChangeOfTheQueuedTasks()
    {
        QVERIFY(m_workspace->start().ok());
        // Tasks of no length may finish before the import's thread has said anything more.
        for (int round = 0; round < 10; ++round) {
            BatchImport import(*m_workspace);
            bool queued = false;
            int heardBeforeQueued = 0;
            int finished = 0;
            connect(&import, &BatchImport::queued, this, [&queued] { queued = true; });
            const auto connection = connect(&m_workspace->pool(), &WorkerPool::tasksChanged, this,
                                            [&](const QList<TaskEvent>& events) {
                                                for (const TaskEvent& event : events) {
                                                    heardBeforeQueued += queued ? 0 : 1;
                                                    finished += isTerminal(event.state) ? 1 : 0;
                                                }
                                            });
            QSignalSpy loaded(&import, &BatchImport::loaded);
            import.load(simulateLines(3));
            QTRY_COMPARE(loaded.count(), 1);
            import.store();
            QTRY_COMPARE(finished, 3);
            disconnect(connection);
            QVERIFY(queued);
            QCOMPARE(heardBeforeQueued, 0);
        }
    }

    void aRejectedFileImportsNothingAndNamesTheLine()
    {
        BatchImport import(*m_workspace);
        QSignalSpy failed(&import, &BatchImport::failed);
        import.load(writeFile(QStringLiteral("bad.jsonl"),
                              "{\"duration_ms\":1}\n{\"duration_ms\":-4}\n{\"kind\":\"nope\"}\n"));
        QTRY_COMPARE(failed.count(), 1);
        const auto error = failed.first().first().value<Error>();
        QVERIFY(error.invalidInput);
        QVERIFY2(error.message.contains(QStringLiteral("line 2: duration_ms:")), qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("line 3: kind: unknown kind \"nope\"")),
                 qPrintable(error.message));
        QCOMPARE(import.stage(), BatchImport::Stage::Failed);
        QCOMPARE(storedTasks(), 0);
        QCOMPARE(m_workspace->pool().counters().pending, 0);
    }

    void aMissingFileFails()
    {
        BatchImport import(*m_workspace);
        QSignalSpy failed(&import, &BatchImport::failed);
        import.load(m_dir.filePath(QStringLiteral("absent.jsonl")));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().value<Error>().message.contains(QStringLiteral("absent.jsonl")));
    }

    void usersAreLookedUpOnTheLoadingThread()
    {
        auto user = m_workspace->users().create({QStringLiteral("ada@example.org"), QStringLiteral("Ada")});
        QVERIFY(user.ok());
        BatchImport import(*m_workspace);
        QSignalSpy loaded(&import, &BatchImport::loaded);
        QSignalSpy failed(&import, &BatchImport::failed);
        QSignalSpy queued(&import, &BatchImport::queued);
        import.load(simulateLines(3, ",\"user\":\"ADA@example.org\""));
        QTRY_COMPARE(loaded.count() + failed.count(), 1);
        QCOMPARE(failed.count(), 0);
        import.store();
        QTRY_COMPARE(queued.count(), 1);
        QCOMPARE(sqlText(m_workspace->database(),
                         QStringLiteral("SELECT group_concat(DISTINCT user_id) FROM tasks")),
                 user->id);
    }

    void theDefaultTimeoutAppliesToRecordsWithout()
    {
        BatchImport import(*m_workspace);
        import.setDefaultTimeoutMs(1234);
        QSignalSpy loaded(&import, &BatchImport::loaded);
        QSignalSpy queued(&import, &BatchImport::queued);
        import.load(writeFile(QStringLiteral("t.jsonl"), "{}\n{\"timeout_ms\":99}\n"));
        QTRY_COMPARE(loaded.count(), 1);
        import.store();
        QTRY_COMPARE(queued.count(), 1);
        QCOMPARE(
            sqlText(m_workspace->database(), QStringLiteral("SELECT group_concat(timeout_ms) FROM tasks")),
            QStringLiteral("1234,99"));
    }

    void cancelWhileLoadingImportsNothing()
    {
        BatchImport import(*m_workspace);
        QSignalSpy cancelled(&import, &BatchImport::cancelled);
        QSignalSpy loaded(&import, &BatchImport::loaded);
        import.load(simulateLines(50'000));
        import.cancel();
        QTRY_COMPARE(cancelled.count(), 1);
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(import.stage(), BatchImport::Stage::Cancelled);
        QCOMPARE(storedTasks(), 0);
    }

    void cancelAfterTheSummaryDiscardsTheBatch()
    {
        BatchImport import(*m_workspace);
        QSignalSpy loaded(&import, &BatchImport::loaded);
        QSignalSpy cancelled(&import, &BatchImport::cancelled);
        import.load(simulateLines(10));
        QTRY_COMPARE(loaded.count(), 1);
        import.cancel();
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(import.stage(), BatchImport::Stage::Cancelled);
        QCOMPARE(storedTasks(), 0);
        QCOMPARE(m_workspace->pool().counters().pending, 0);
    }

    void cancelWhileStoringIsAllOrNothing()
    {
        // The store checks the flag before its first row and every few thousand rows after;
        // whichever it sees, the database and the pool agree: all tasks or none.
        BatchImport import(*m_workspace);
        QSignalSpy loaded(&import, &BatchImport::loaded);
        QSignalSpy done(&import, &BatchImport::queued);
        QSignalSpy cancelled(&import, &BatchImport::cancelled);
        import.load(simulateLines(100'000));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30'000);
        import.store();
        import.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(done.count() + cancelled.count(), 1, 30'000);
        const qint64 expected = cancelled.count() == 1 ? 0 : 100'000;
        QCOMPARE(storedTasks(), expected);
        QCOMPARE(m_workspace->pool().counters().pending, expected);
    }

    void destroyingWhileLoadingStopsCleanly()
    {
        auto import = std::make_unique<BatchImport>(*m_workspace);
        import->load(simulateLines(50'000));
        import.reset(); // waits for the thread; no signal reaches a dead object
        QCOMPARE(storedTasks(), 0);
    }

    void anotherFileCanBeLoadedAfterAnImport()
    {
        BatchImport import(*m_workspace);
        QSignalSpy failed(&import, &BatchImport::failed);
        QSignalSpy loaded(&import, &BatchImport::loaded);
        import.load(writeFile(QStringLiteral("bad.csv"), "nope\n1\n"));
        QTRY_COMPARE(failed.count(), 1);
        import.load(simulateLines(4));
        QTRY_COMPARE(loaded.count(), 1);
        QCOMPARE(import.summary().tasks(), 4);
    }
};

QTEST_GUILESS_MAIN(TestBatchImport)
#include "tst_batchimport.moc"
