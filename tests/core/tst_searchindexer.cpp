#include "Database.h"
#include "SearchIndex.h"
#include "SearchIndexer.h"
#include "TaskStore.h"
#include "TestKinds.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace workdeck;
using test::TestRegistry;

class TestSearchIndexer : public QObject {
    Q_OBJECT

private:
    TestRegistry m_kinds;
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;

    QString path() const { return m_dir.filePath(QStringLiteral("s.sqlite")); }
    void store(int count)
    {
        std::vector<TaskSpec> specs(static_cast<std::size_t>(count),
                                    m_kinds.spec(u"simulate", {{QStringLiteral("duration_ms"), 1}}));
        QVERIFY(TaskStore(*m_db, m_kinds.registry).insert(specs).ok());
    }
    void exec(const QString& sql) { QVERIFY2(m_db->exec(sql.toUtf8().constData()).ok(), qPrintable(sql)); }
    qint64 matches(const QString& word)
    {
        QSqlQuery q = m_db->query();
        q.prepare(QStringLiteral("SELECT count(*) FROM task_search WHERE task_search MATCH ?"));
        q.addBindValue(word);
        if (!q.exec() || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }
    qint64 indexed() { return *m_db->scalar(QStringLiteral("SELECT count(*) FROM task_search")); }

private slots:
    void init()
    {
        QFile::remove(path());
        auto db = Database::open(path());
        QVERIFY(db.ok());
        m_db = std::move(*db);
    }
    void cleanup() { m_db.reset(); }

    void addNewIndexesEachTaskOnce()
    {
        store(3);
        SearchIndex index(*m_db);
        QCOMPARE(*index.addNew(), 3);
        QCOMPARE(*index.addNew(), 0);
        QVERIFY(index.refresh({2}).ok()); // already indexed: replaced, not doubled
        store(2);
        QCOMPARE(*index.addNew(), 2);
        QCOMPARE(indexed(), 5);
        QCOMPARE(matches(QStringLiteral("duration_ms")), 5);
    }

    void refreshOfADeletedTaskDropsIt()
    {
        store(2);
        SearchIndex index(*m_db);
        QVERIFY(index.addNew().ok());
        exec(QStringLiteral("DELETE FROM tasks WHERE id = 1"));
        QVERIFY(index.refresh({1}).ok());
        QCOMPARE(indexed(), 1);
        QVERIFY(index.remove({2}).ok());
        QCOMPARE(indexed(), 0);
    }

    void onlyTheTailOfALongOutputIsIndexed()
    {
        store(1);
        const QString output = QStringLiteral("headword ") + QString(SearchIndex::IndexedOutputChars, u'x') +
                               QStringLiteral(" tailword");
        QSqlQuery q = m_db->query();
        q.prepare(QStringLiteral("UPDATE tasks SET output = ? WHERE id = 1"));
        q.addBindValue(output);
        QVERIFY(q.exec());
        QVERIFY(SearchIndex(*m_db).addNew().ok());
        QCOMPARE(matches(QStringLiteral("tailword")), 1);
        QCOMPARE(matches(QStringLiteral("headword")), 0);
    }

    void catchUpFindsWhatFinishedWhileNoWindowWasOpen()
    {
        store(4);
        SearchIndex index(*m_db);
        QVERIFY(index.addNew().ok());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(*index.catchUp(now - 3'600'000), 0);
        // Another process finishes two tasks, one of them long ago (clock skew): only the
        // recent one is newer than the last catch-up.
        exec(QStringLiteral(
                 "UPDATE tasks SET state = 'failed', error = 'ENOSPC', finished_at = %1 WHERE id = 2")
                 .arg(now));
        exec(QStringLiteral(
                 "UPDATE tasks SET state = 'failed', error = 'EPERM', finished_at = %1 WHERE id = 3")
                 .arg(now - 7'200'000));
        QCOMPARE(*index.catchUp(now), 1);
        QCOMPARE(matches(QStringLiteral("ENOSPC")), 1);
        QCOMPARE(matches(QStringLiteral("EPERM")), 0);
        QCOMPARE(*index.catchUp(now), 1); // the overlap looks at recent ones again
    }

    void theIndexerCatchesUpThenFollowsChanges()
    {
        store(3);
        auto indexer = SearchIndexer::start(path());
        QVERIFY(indexer.ok());
        QVERIFY((*indexer)->flush().ok());
        QCOMPARE(indexed(), 3);

        store(2);
        (*indexer)->postAdded();
        exec(QStringLiteral("UPDATE tasks SET state = 'failed', error = 'checksum mismatch' WHERE id = 1"));
        TaskEvent failed;
        failed.id = 1;
        failed.state = TaskState::Failed;
        TaskEvent running;
        running.id = 2;
        running.state = TaskState::Running;
        (*indexer)->post({failed, running});
        QVERIFY((*indexer)->flush().ok());
        QCOMPARE(indexed(), 5);
        QCOMPARE(matches(QStringLiteral("mismatch")), 1);
    }

    void anUnopenableDatabaseIsAnError()
    {
        QFile file(m_dir.filePath(QStringLiteral("plain-file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        auto indexer = SearchIndexer::start(file.fileName() + QStringLiteral("/x.sqlite"));
        QVERIFY(!indexer.ok());
        QVERIFY(!indexer.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSearchIndexer)
#include "tst_searchindexer.moc"
