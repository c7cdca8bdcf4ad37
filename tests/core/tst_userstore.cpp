#include "Database.h"
#include "UserStore.h"
#include "UserValidator.h"

#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>

using namespace workdeck;
using namespace Qt::StringLiterals;

namespace {

const QString NotFound = u"user not found"_s;
const QString DuplicateEmail = u"email: another user already has this e-mail address"_s;

template <typename T> QString failure(const Result<T>& result)
{
    return result.ok() ? QString() : result.error().message;
}

/// Every field of a user on one line, so QCOMPARE checks them all and prints the difference.
QString describe(const User& user)
{
    return u"User(id="_s + user.id + u", email="_s + user.email + u", name="_s + user.name +
           u", createdAt="_s + QString::number(user.createdAtMs) + u')';
}

QStringList describe(const QList<User>& users)
{
    QStringList result;
    for (const User& user : users)
        result.append(describe(user));
    return result;
}

/// The user, or the error in its place, so that a failed call fails the comparison instead of
/// throwing from Result::value().
QString describe(const Result<User>& user)
{
    return user ? describe(*user) : u"error: "_s + user.error().message;
}

QStringList describe(const Result<UserPage>& page)
{
    return page ? describe(page->users) : QStringList{u"error: "_s + page.error().message};
}

QStringList emails(const QList<User>& users)
{
    QStringList result;
    for (const User& user : users)
        result.append(user.email);
    return result;
}

/// The order SPEC S1 lists users in: newest first, then by id.
void sortNewestFirst(QList<User>& users)
{
    std::sort(users.begin(), users.end(), [](const User& a, const User& b) {
        if (a.createdAtMs != b.createdAtMs)
            return a.createdAtMs > b.createdAtMs;
        return a.id > b.id;
    });
}

} // namespace

class TestUserStore : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<UserStore> m_store;
    qint64 m_now = 0;

    static constexpr qint64 Epoch = 1'700'000'000'000;

    // Helpers that report a problem as a string, empty when all went well, so a test can
    // QCOMPARE them with QString() and see the reason when they fail.

    QString create(const QString& email, const QString& name, User* created = nullptr)
    {
        const auto made = m_store->create({email, name});
        if (made && created)
            *created = *made;
        return failure(made);
    }

    /// Users `email(i)`/`name(i)` for i in [0, n), stamped by `at(i)`, appended to `created`.
    template <typename At> QString createMany(int n, const QString& prefix, At at, QList<User>& created)
    {
        for (int i = 0; i < n; ++i) {
            m_now = at(i);
            User user;
            const QString problem = create(prefix + QString::number(i) + u"@example.com"_s,
                                           prefix + u" Number "_s + QString::number(i), &user);
            if (!problem.isEmpty())
                return problem;
            created.append(user);
        }
        return {};
    }

    /// Walks every page of `search` through the `next` cursors, checking the cursor contract on
    /// the way: every page but the last is full and hands on its last user; the last has no next.
    QString walk(const QString& search, int pageSize, QList<User>& seen)
    {
        std::optional<UserCursor> after;
        for (int pages = 0; pages <= 1000; ++pages) {
            const auto page = m_store->page({search, after, pageSize});
            if (!page)
                return page.error().message;
            seen.append(page->users);
            if (page->users.size() > pageSize)
                return u"a page of "_s + QString::number(page->users.size()) + u" users"_s;
            if (!page->next)
                return {};
            if (page->users.size() != pageSize)
                return u"a page that is not full has a next cursor"_s;
            if (page->next->id != page->users.constLast().id ||
                page->next->createdAtMs != page->users.constLast().createdAtMs)
                return u"the next cursor is not the page's last user"_s;
            after = page->next;
        }
        return u"the pages never end"_s;
    }

    /// A task of `userId` in `state`, written straight into the tasks table.
    QString insertTask(const QString& userId, const QString& state)
    {
        QSqlQuery q(m_db->sql());
        q.prepare(u"INSERT INTO tasks(uuid, kind, priority, max_retries, timeout_ms, user_id, params, state, "
                  u"attempts, created_at) VALUES (?, 'simulate', 5, 0, 1000, ?, '{}', ?, 1, ?)"_s);
        q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
        q.addBindValue(userId);
        q.addBindValue(state);
        q.addBindValue(m_now);
        if (!q.exec())
            return q.lastError().text();
        return {};
    }

    /// The first column of the first row of `sql` with `values` bound, or an invalid QVariant.
    QVariant value(const QString& sql, const QVariantList& values = {})
    {
        QSqlQuery q(m_db->sql());
        q.prepare(sql);
        for (const QVariant& v : values)
            q.addBindValue(v);
        if (!q.exec() || !q.next())
            return {};
        return q.value(0);
    }

    qint64 storedCount()
    {
        const auto n = m_store->count();
        return n ? *n : -1;
    }

    bool usersTableExists()
    {
        return value(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'"_s)
                   .toInt() == 1;
    }

    QStringList searchEmails(const QString& search)
    {
        const auto page = m_store->page({search, std::nullopt, UserQuery::MaxPageSize});
        if (!page)
            return {u"error: "_s + page.error().message};
        QStringList result = emails(page->users);
        result.sort();
        return result;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        auto opened = Database::open(m_dir->filePath(u"w.sqlite"_s));
        QVERIFY2(opened.ok(), qPrintable(failure(opened)));
        m_db = std::move(*opened);
        m_store = std::make_unique<UserStore>(*m_db);
        m_now = Epoch;
        m_store->setClock([this] { return m_now; });
    }

    void cleanup()
    {
        m_store.reset();
        m_db.reset();
        m_dir.reset();
    }

    // --- create and get ---

    void createTrimsAndStampsANewUser()
    {
        m_now = Epoch + 42;
        const auto made = m_store->create({u"  Ann.Lee@Example.COM \t"_s, u"\n Ann Lee  "_s});
        QVERIFY2(made.ok(), qPrintable(failure(made)));
        QCOMPARE(made->email, u"Ann.Lee@Example.COM"_s); // trimmed, case kept
        QCOMPARE(made->name, u"Ann Lee"_s);
        QCOMPARE(made->createdAtMs, Epoch + 42);
        const QUuid uuid = QUuid::fromString(made->id);
        QVERIFY2(!uuid.isNull(), qPrintable(made->id));
        QCOMPARE(uuid.version(), QUuid::Random);
        QCOMPARE(uuid.variant(), QUuid::DCE);
        QCOMPARE(made->id, uuid.toString(QUuid::WithoutBraces));

        const auto got = m_store->get(made->id);
        QVERIFY2(got.ok(), qPrintable(failure(got)));
        QCOMPARE(describe(*got), describe(*made));
        QCOMPARE(storedCount(), 1);
    }

    void eachUserGetsItsOwnId()
    {
        User first;
        User second;
        QCOMPARE(create(u"a@example.com"_s, u"A"_s, &first), QString());
        QCOMPARE(create(u"b@example.com"_s, u"B"_s, &second), QString());
        QVERIFY(first.id != second.id);
        QCOMPARE(describe(m_store->get(first.id)), describe(first));
        QCOMPARE(describe(m_store->get(second.id)), describe(second));
        QCOMPARE(storedCount(), 2);
    }

    void getOfAMissingIdIsNotFound_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("another UUID") << QUuid::createUuid().toString(QUuid::WithoutBraces);
        QTest::newRow("empty") << QString();
        QTest::newRow("looks like SQL") << u"' OR '1'='1"_s;
        QTest::newRow("LIKE wildcard") << u"%"_s;
    }

    void getOfAMissingIdIsNotFound()
    {
        QFETCH(QString, id);
        QCOMPARE(create(u"ann@example.com"_s, u"Ann"_s), QString());
        const auto got = m_store->get(id);
        QVERIFY(!got.ok());
        QCOMPARE(got.error().message, NotFound);
        QVERIFY(got.error().invalidInput);
    }

    // --- validation (the rules themselves are in tst_uservalidator) ---

    void invalidInputIsRefusedAndNothingIsWritten_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("name");
        QTest::newRow("empty e-mail") << QString() << u"Ann"_s;
        QTest::newRow("not an address") << u"ann@"_s << u"Ann"_s;
        QTest::newRow("tab in the name") << u"ann@example.com"_s << u"Ann\tLee"_s;
        QTest::newRow("201-character name") << u"ann@example.com"_s << QString(201, u'a');
        QTest::newRow("both fields") << u"ann lee@example.com"_s << u"   "_s;
    }

    void invalidInputIsRefusedAndNothingIsWritten()
    {
        QFETCH(QString, email);
        QFETCH(QString, name);
        const UserInput input{email, name};
        const auto expected = UserValidator::validate(input);
        QVERIFY(!expected.ok());
        User existing;
        QCOMPARE(create(u"bob@example.com"_s, u"Bob"_s, &existing), QString());

        const auto made = m_store->create(input);
        QVERIFY(!made.ok());
        QCOMPARE(made.error().message, expected.error().message);
        QVERIFY(made.error().invalidInput);
        QCOMPARE(storedCount(), 1);
        QCOMPARE(value(u"SELECT count(*) FROM users"_s).toInt(), 1);

        const auto updated = m_store->update(existing.id, input);
        QVERIFY(!updated.ok());
        QCOMPARE(updated.error().message, expected.error().message);
        QVERIFY(updated.error().invalidInput);
        QCOMPARE(describe(m_store->get(existing.id)), describe(existing));
    }

    // --- unique e-mail ---

    void anAddressTakenInAnotherCaseIsRefused_data()
    {
        QTest::addColumn<QString>("email");
        QTest::newRow("same") << u"ann@example.com"_s;
        QTest::newRow("upper case") << u"ANN@EXAMPLE.COM"_s;
        QTest::newRow("mixed case") << u"Ann@Example.Com"_s;
        QTest::newRow("surrounding spaces") << u"  aNN@example.com "_s;
    }

    void anAddressTakenInAnotherCaseIsRefused()
    {
        QFETCH(QString, email);
        User ann;
        User bob;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann"_s, &ann), QString());
        QCOMPARE(create(u"bob@example.com"_s, u"Bob"_s, &bob), QString());

        const auto made = m_store->create({email, u"Impostor"_s});
        QVERIFY(!made.ok());
        QCOMPARE(made.error().message, DuplicateEmail);
        QVERIFY(made.error().invalidInput);
        QCOMPARE(storedCount(), 2);

        const auto updated = m_store->update(bob.id, {email, u"Bob"_s});
        QVERIFY(!updated.ok());
        QCOMPARE(updated.error().message, DuplicateEmail);
        QVERIFY(updated.error().invalidInput);
        QCOMPARE(describe(m_store->get(bob.id)), describe(bob));
        QCOMPARE(describe(m_store->get(ann.id)), describe(ann));
    }

    void aUserCanChangeTheCaseOfItsOwnAddress()
    {
        User ann;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann"_s, &ann), QString());
        m_now = Epoch + 1000; // an update does not restamp
        const auto updated = m_store->update(ann.id, {u" ANN@Example.com "_s, u" Ann Lee "_s});
        QVERIFY2(updated.ok(), qPrintable(failure(updated)));
        const User expected{ann.id, u"ANN@Example.com"_s, u"Ann Lee"_s, ann.createdAtMs};
        QCOMPARE(describe(*updated), describe(expected));
        QCOMPARE(describe(m_store->get(ann.id)), describe(expected));
        QCOMPARE(describe(m_store->findByEmail(u"ann@example.com"_s)), describe(expected));
        QCOMPARE(storedCount(), 1);
    }

    void findByEmailIgnoresCase()
    {
        User ann;
        QCOMPARE(create(u"Ann@Example.com"_s, u"Ann"_s, &ann), QString());
        QCOMPARE(describe(m_store->findByEmail(u" ann@EXAMPLE.COM "_s)), describe(ann));

        const auto missing = m_store->findByEmail(u"bob@example.com"_s);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().message, u"no user has the e-mail address bob@example.com"_s);
        QVERIFY(missing.error().invalidInput);
    }

    void updateOfAMissingIdIsNotFound_data()
    {
        QTest::addColumn<bool>("existedOnce");
        QTest::newRow("never existed") << false;
        QTest::newRow("deleted") << true;
    }

    void updateOfAMissingIdIsNotFound()
    {
        QFETCH(bool, existedOnce);
        QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (existedOnce) {
            User gone;
            QCOMPARE(create(u"gone@example.com"_s, u"Gone"_s, &gone), QString());
            QVERIFY(m_store->remove(gone.id).ok());
            id = gone.id;
        }
        const auto updated = m_store->update(id, {u"new@example.com"_s, u"New"_s});
        QVERIFY(!updated.ok());
        QCOMPARE(updated.error().message, NotFound);
        QVERIFY(updated.error().invalidInput);
        QCOMPARE(storedCount(), 0);
        QVERIFY(!m_store->findByEmail(u"new@example.com"_s).ok());
    }

    // --- text is stored byte for byte ---

    void unusualTextRoundTrips_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("name");
        QTest::newRow("SQL in the name") << u"robert@example.com"_s << u"Robert'); DROP TABLE users;--"_s;
        QTest::newRow("SQL in the e-mail") << u"x'or'1'='1@example.com"_s << u"' OR '1'='1"_s;
        QTest::newRow("quotes") << u"dan@example.com"_s << u"Dan \"The Man\" O'Neil `x`"_s;
        QTest::newRow("backslashes") << u"back/slash@example.com"_s << uR"(C:\Users\ann \\ \n \0 \')"_s;
        QTest::newRow("LIKE wildcards") << u"100%_done@example.com"_s << u"100% _done_ %_%"_s;
        QTest::newRow("placeholders") << u"colon@example.com"_s << u":match :id ? ?1 @at $x"_s;
        QTest::newRow("FTS syntax") << u"fts@example.com"_s << u"NEAR(a b) OR \"x\" * -y name:z ^w"_s;
        QTest::newRow("emoji") << u"emoji@example.com"_s
                               << u"Family 👨‍👩‍👧 😀 🏳️‍🌈"_s;
        QTest::newRow("right to left") << u"rtl@example.com"_s << u"محمد بن سلمان שלום Ann"_s;
        QTest::newRow("bidi override") << u"bidi@example.com"_s << u"\u202Egnp.exe"_s;
        QTest::newRow("combining mark kept decomposed") << u"zoe@example.com"_s << u"Zoe\u0308 Zoë"_s;
        QTest::newRow("200 code points in 400 QChars") << u"long@example.com"_s << u"😀"_s.repeated(200);
        QTest::newRow("200 CJK characters") << u"cjk@example.com"_s << u"李"_s.repeated(200);
        QTest::newRow("254-character e-mail")
            << QString(u"a@"_s + QString(63, u'b') + u'.' + QString(63, u'c') + u'.' + QString(63, u'd') +
                       u'.' + QString(60, u'e'))
            << u"Longest"_s;
    }

    void unusualTextRoundTrips()
    {
        QFETCH(QString, email);
        QFETCH(QString, name);
        User control;
        QCOMPARE(create(u"control@example.net"_s, u"Control"_s, &control), QString());
        m_now = Epoch + 1;

        User made;
        QCOMPARE(create(email, name, &made), QString());
        QCOMPARE(made.email, email);
        QCOMPARE(made.name, name);

        const auto got = m_store->get(made.id);
        QVERIFY2(got.ok(), qPrintable(failure(got)));
        QCOMPARE(got->email, email);
        QCOMPARE(got->name, name);
        // The bytes SQLite holds, not just what Qt makes of them.
        QCOMPARE(value(u"SELECT CAST(name AS BLOB) FROM users WHERE id = ?"_s, {made.id}).toByteArray(),
                 name.toUtf8());
        QCOMPARE(value(u"SELECT CAST(email AS BLOB) FROM users WHERE id = ?"_s, {made.id}).toByteArray(),
                 email.toUtf8());

        const auto listed = m_store->page({});
        QVERIFY2(listed.ok(), qPrintable(failure(listed)));
        QCOMPARE(describe(listed->users), QStringList({describe(made), describe(control)}));

        const auto found = m_store->page({email, std::nullopt, UserQuery::DefaultPageSize});
        QVERIFY2(found.ok(), qPrintable(failure(found)));
        QCOMPARE(describe(found->users), QStringList{describe(made)});
        QCOMPARE(describe(m_store->findByEmail(email)), describe(made));

        QVERIFY(usersTableExists());
        QCOMPARE(storedCount(), 2);
        QCOMPARE(describe(m_store->get(control.id)), describe(control));
    }

    // A name is never stored as other text than create() returned: an unpaired UTF-16 surrogate
    // (which a paste or a broken client can produce) is refused.
    void anUnpairedSurrogateIsNotStoredAsAnotherCharacter_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("high before a letter") << QString(u"A"_s + QChar(0xD800) + u"B"_s);
        QTest::newRow("low before a letter") << QString(u"A"_s + QChar(0xDC00) + u"B"_s);
        QTest::newRow("high at the end") << QString(u"AB"_s + QChar(0xD800));
        QTest::newRow("high before an emoji") << QString(u"A"_s + QChar(0xD800) + u"😀"_s);
    }

    void anUnpairedSurrogateIsNotStoredAsAnotherCharacter()
    {
        QFETCH(QString, name);
        const auto made = m_store->create({u"ann@example.com"_s, name});
        QVERIFY(!made.ok()); // refused by the validator, rather than stored as another character
        QVERIFY(made.error().invalidInput);
        QCOMPARE(made.error().message, u"name: contains a broken character; type it again"_s);
        QCOMPARE(storedCount(), 0);
    }

    // --- keyset paging ---

    void pagesWalkEveryUserOnceNewestFirst_data()
    {
        QTest::addColumn<int>("pageSize");
        QTest::newRow("50, pages end on a full page") << 50;
        QTest::newRow("the largest, 100") << 100;
        QTest::newRow("33, a short last page") << 33;
        QTest::newRow("1") << 1;
    }

    void pagesWalkEveryUserOnceNewestFirst()
    {
        QFETCH(int, pageSize);
        // 250 users over 40 timestamps, created out of time order: many share created_at, so
        // the id must break ties, and the insertion order must not leak into the listing.
        QList<User> created;
        QCOMPARE(createMany(
                     250, u"user"_s, [](int i) { return Epoch + (i * 17) % 40; }, created),
                 QString());
        QCOMPARE(storedCount(), 250);

        QList<User> seen;
        QCOMPARE(walk(QString(), pageSize, seen), QString());
        sortNewestFirst(created);
        QCOMPARE(describe(seen), describe(created));
    }

    void theDefaultPageHoldsFifty()
    {
        QList<User> created;
        QCOMPARE(createMany(
                     60, u"user"_s, [](int) { return Epoch; }, created),
                 QString());
        const auto page = m_store->page({});
        QVERIFY2(page.ok(), qPrintable(failure(page)));
        QCOMPARE(page->users.size(), UserQuery::DefaultPageSize);
        QVERIFY(page->next);
    }

    void thePageSizeIsClamped_data()
    {
        QTest::addColumn<int>("requested");
        QTest::addColumn<int>("size");
        QTest::newRow("far too many") << 1'000'000 << 100;
        QTest::newRow("one too many") << 101 << 100;
        QTest::newRow("the most") << 100 << 100;
        QTest::newRow("one") << 1 << 1;
        QTest::newRow("zero") << 0 << 1;
        QTest::newRow("negative") << -5 << 1;
    }

    void thePageSizeIsClamped()
    {
        QFETCH(int, requested);
        QFETCH(int, size);
        QList<User> created;
        QCOMPARE(createMany(
                     120, u"user"_s, [](int i) { return Epoch + i % 3; }, created),
                 QString());
        sortNewestFirst(created);

        const auto page = m_store->page({QString(), std::nullopt, requested});
        QVERIFY2(page.ok(), qPrintable(failure(page)));
        QCOMPARE(describe(page->users), describe(created.first(size)));
        QVERIFY(page->next);
    }

    void anEmptyTableHasOneEmptyPage()
    {
        const auto page = m_store->page({});
        QVERIFY2(page.ok(), qPrintable(failure(page)));
        QVERIFY(page->users.isEmpty());
        QVERIFY(!page->next);
    }

    // --- search ---

    void searchMatchesWordPrefixes_data()
    {
        QTest::addColumn<QString>("search");
        QTest::addColumn<QStringList>("expected");
        const QString ann = u"ann.lee@example.com"_s;
        const QString annika = u"annika@corp.example"_s;
        const QString bob = u"bob@example.org"_s;
        const QString carol = u"carol@example.com"_s;
        const QString zoe = u"zoe@example.com"_s;
        const QString dan = u"dan@example.com"_s;
        const QString eve = u"eve@example.net"_s;
        const QStringList everyone{ann, annika, bob, carol, dan, eve, zoe};

        QTest::newRow("empty lists everyone") << QString() << everyone;
        QTest::newRow("spaces list everyone") << u"   "_s << everyone;
        QTest::newRow("name word") << u"ann"_s << QStringList{ann, annika, carol};
        QTest::newRow("upper case") << u"ANN"_s << QStringList{ann, annika, carol};
        QTest::newRow("mixed case") << u"aNn"_s << QStringList{ann, annika, carol};
        QTest::newRow("prefix of a later word") << u"marl"_s << QStringList{bob};
        QTest::newRow("not a prefix") << u"arley"_s << QStringList{};
        QTest::newRow("two words are AND-ed") << u"ann lee"_s << QStringList{ann};
        QTest::newRow("in any order") << u"lee ann"_s << QStringList{ann};
        QTest::newRow("words from name and e-mail") << u"ann carol@"_s << QStringList{carol};
        QTest::newRow("three words") << u"carol ann jon"_s << QStringList{carol};
        QTest::newRow("e-mail prefix") << u"annika@corp"_s << QStringList{annika};
        QTest::newRow("e-mail local part with a dot") << u"ann.lee@"_s << QStringList{ann};
        QTest::newRow("e-mail, partly typed domain") << u"bob@example.o"_s << QStringList{bob};
        QTest::newRow("whole e-mail in capitals") << u"BOB@EXAMPLE.ORG"_s << QStringList{bob};
        QTest::newRow("domain") << u"example.org"_s << QStringList{bob};
        QTest::newRow("a word everyone shares") << u"example"_s << everyone;
        QTest::newRow("diacritics ignored") << u"zoe angstrom"_s << QStringList{zoe};
        QTest::newRow("diacritics typed") << u"ZOË Ång"_s << QStringList{zoe};
        QTest::newRow("apostrophe") << u"o'neil"_s << QStringList{dan};
        QTest::newRow("nobody") << u"nobody"_s << QStringList{};

        // FTS5 query syntax is matched as text, never obeyed, and never an error.
        QTest::newRow("OR is a word") << u"OR"_s << QStringList{bob, eve}; // example.org, Orwell
        QTest::newRow("OR does not widen") << u"eve OR bob"_s << QStringList{};
        QTest::newRow("AND is a word") << u"ann AND lee"_s << QStringList{};
        QTest::newRow("NOT is a word") << u"ann NOT lee"_s << QStringList{};
        QTest::newRow("NEAR( is a word") << u"NEAR("_s << QStringList{eve};
        QTest::newRow("NEAR group") << u"NEAR(ann lee)"_s << QStringList{};
        QTest::newRow("star") << u"ann*"_s << QStringList{ann, annika, carol};
        QTest::newRow("lone star") << u"*"_s << QStringList{};
        QTest::newRow("minus is not NOT") << u"-bob"_s << QStringList{bob};
        QTest::newRow("lone minus") << u"-"_s << QStringList{};
        QTest::newRow("lone colon") << u":"_s << QStringList{};
        QTest::newRow("column filter is text") << u"email:bob"_s << QStringList{};
        QTest::newRow("caret") << u"^ann"_s << QStringList{ann, annika, carol};
        QTest::newRow("plus") << u"+"_s << QStringList{};
        QTest::newRow("lone quote") << u"\""_s << QStringList{};
        QTest::newRow("unbalanced quote") << u"ann\""_s << QStringList{ann, annika, carol};
        QTest::newRow("quoted phrase") << u"\"the man\""_s << QStringList{dan};
        QTest::newRow("doubled quotes") << u"\"\"dan\"\""_s << QStringList{dan};
        QTest::newRow("parentheses") << u"(bob)"_s << QStringList{bob};
        QTest::newRow("braces") << u"{bob}"_s << QStringList{bob};
        QTest::newRow("SQL") << u"'); DROP TABLE users;--"_s << QStringList{};
        QTest::newRow("punctuation and a word") << u"- : bob"_s << QStringList{bob};
        // Characters no tokenizer keeps still must not break the query.
        QTest::newRow("tab between words") << u"ann\tlee"_s << QStringList{ann};
        QTest::newRow("NUL after a word") << QString(u"ann"_s + QChar(0)) << QStringList{ann, annika, carol};
        QTest::newRow("unpaired surrogate after a word")
            << QString(u"ann"_s + QChar(0xD800)) << QStringList{ann, annika, carol};
    }

    void searchMatchesWordPrefixes()
    {
        QFETCH(QString, search);
        QFETCH(QStringList, expected);
        const QList<std::pair<QString, QString>> people{
            {u"ann.lee@example.com"_s, u"Ann Lee"_s},     {u"annika@corp.example"_s, u"Annika Svensson"_s},
            {u"bob@example.org"_s, u"Bob Marley"_s},      {u"carol@example.com"_s, u"Carol Ann Jones"_s},
            {u"zoe@example.com"_s, u"Zoë Ångström"_s},    {u"dan@example.com"_s, u"Dan \"The Man\" O'Neil"_s},
            {u"eve@example.net"_s, u"Eve Near-Orwell"_s},
        };
        for (const auto& [email, name] : people)
            QCOMPARE(create(email, name), QString());

        expected.sort();
        QCOMPARE(searchEmails(search), expected);
        QVERIFY(usersTableExists());
        QCOMPARE(storedCount(), people.size());
    }

    void searchPagesLikeTheFullList()
    {
        QList<User> members;
        QList<User> visitors;
        QCOMPARE(createMany(
                     30, u"member"_s, [](int i) { return Epoch + i % 4; }, members),
                 QString());
        QCOMPARE(createMany(
                     20, u"visitor"_s, [](int i) { return Epoch + i % 4; }, visitors),
                 QString());
        sortNewestFirst(members);

        QList<User> seen;
        QCOMPARE(walk(u"MEMBER"_s, 7, seen), QString());
        QCOMPARE(describe(seen), describe(members));

        seen.clear();
        QCOMPARE(walk(u"member number"_s, 30, seen), QString());
        QCOMPARE(describe(seen), describe(members));
    }

    void searchSkipsDeletedUsers()
    {
        User ann;
        User carol;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann Lee"_s, &ann), QString());
        QCOMPARE(create(u"bob@example.com"_s, u"Bob Marley"_s), QString());
        QCOMPARE(create(u"carol@example.com"_s, u"Carol Jones"_s, &carol), QString());
        QCOMPARE(insertTask(carol.id, u"succeeded"_s), QString()); // so carol is only hidden

        QVERIFY(m_store->remove(ann.id).ok());
        QVERIFY(m_store->remove(carol.id).ok());
        QCOMPARE(searchEmails(u"ann"_s), QStringList());
        QCOMPARE(searchEmails(u"carol"_s), QStringList());
        QCOMPARE(searchEmails(u"example"_s), QStringList{u"bob@example.com"_s});
    }

    void searchFollowsAnUpdate()
    {
        User ann;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann Lee"_s, &ann), QString());
        QCOMPARE(create(u"bob@example.com"_s, u"Bob Marley"_s), QString());
        QVERIFY(m_store->update(ann.id, {u"bea@example.org"_s, u"Beatrix Kiddo"_s}).ok());

        QCOMPARE(searchEmails(u"ann"_s), QStringList());
        QCOMPARE(searchEmails(u"lee"_s), QStringList());
        QCOMPARE(searchEmails(u"ann@example"_s), QStringList());
        QCOMPARE(searchEmails(u"beatrix"_s), QStringList{u"bea@example.org"_s});
        QCOMPARE(searchEmails(u"kid"_s), QStringList{u"bea@example.org"_s});
        QCOMPARE(searchEmails(u"bea@"_s), QStringList{u"bea@example.org"_s});
        QCOMPARE(searchEmails(u"example.org"_s), QStringList{u"bea@example.org"_s});
    }

    // --- delete ---

    void removeErasesAUserWithoutTasks()
    {
        User ann;
        User bob;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann"_s, &ann), QString());
        QCOMPARE(create(u"bob@example.com"_s, u"Bob"_s, &bob), QString());

        const auto removed = m_store->remove(ann.id);
        QVERIFY2(removed.ok(), qPrintable(failure(removed)));
        QCOMPARE(failure(m_store->get(ann.id)), NotFound);
        QCOMPARE(storedCount(), 1);
        QCOMPARE(describe(m_store->page({})), QStringList{describe(bob)});

        const auto again = m_store->remove(ann.id);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().message, NotFound);
        QVERIFY(again.error().invalidInput);
        QCOMPARE(storedCount(), 1);
    }

    void removeIsRefusedWhileTasksAreActive_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("tasks");
        QTest::newRow("pending") << u"pending"_s << 1;
        QTest::newRow("running") << u"running"_s << 1;
        QTest::newRow("retrying") << u"retrying"_s << 1;
        QTest::newRow("three pending") << u"pending"_s << 3;
    }

    void removeIsRefusedWhileTasksAreActive()
    {
        QFETCH(QString, state);
        QFETCH(int, tasks);
        User ann;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann"_s, &ann), QString());
        QCOMPARE(insertTask(ann.id, u"succeeded"_s), QString()); // finished ones do not count
        for (int i = 0; i < tasks; ++i)
            QCOMPARE(insertTask(ann.id, state), QString());

        const auto removed = m_store->remove(ann.id);
        QVERIFY(!removed.ok());
        const QString message = removed.error().message;
        QVERIFY2(message.contains(QString::number(tasks) + u" pending or running task"_s),
                 qPrintable(message));
        QCOMPARE(describe(m_store->get(ann.id)), describe(ann));
        QCOMPARE(storedCount(), 1);
        QCOMPARE(searchEmails(u"ann"_s), QStringList{ann.email});
        QVERIFY(value(u"SELECT deleted_at FROM users WHERE id = ?"_s, {ann.id}).isNull());

        // Once they finish, the user can go.
        QSqlQuery finish(m_db->sql());
        QVERIFY(finish.exec(u"UPDATE tasks SET state = 'cancelled' WHERE state <> 'succeeded'"_s));
        const auto later = m_store->remove(ann.id);
        QVERIFY2(later.ok(), qPrintable(failure(later)));
        QCOMPARE(storedCount(), 0);
    }

    void removeHidesAUserWithFinishedTasks_data()
    {
        QTest::addColumn<QString>("state");
        QTest::newRow("succeeded") << u"succeeded"_s;
        QTest::newRow("failed") << u"failed"_s;
        QTest::newRow("cancelled") << u"cancelled"_s;
    }

    void removeHidesAUserWithFinishedTasks()
    {
        QFETCH(QString, state);
        User ann;
        User bob;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann Lee"_s, &ann), QString());
        QCOMPARE(create(u"bob@example.com"_s, u"Bob"_s, &bob), QString());
        QCOMPARE(insertTask(ann.id, state), QString());

        const auto removed = m_store->remove(ann.id);
        QVERIFY2(removed.ok(), qPrintable(failure(removed)));
        QCOMPARE(failure(m_store->get(ann.id)), NotFound);
        QCOMPARE(storedCount(), 1);
        QCOMPARE(describe(m_store->page({})), QStringList{describe(bob)});
        QCOMPARE(searchEmails(u"ann"_s), QStringList());
        QVERIFY(!m_store->findByEmail(ann.email).ok());

        // The task still shows who submitted it.
        QCOMPARE(value(u"SELECT user_id FROM tasks"_s).toString(), ann.id);
        QCOMPARE(value(u"SELECT name FROM users WHERE id = ?"_s, {ann.id}).toString(), ann.name);
        QVERIFY(!value(u"SELECT deleted_at FROM users WHERE id = ?"_s, {ann.id}).isNull());

        // Hidden users cannot be changed or removed again.
        QCOMPARE(failure(m_store->update(ann.id, {u"ann2@example.com"_s, u"Ann"_s})), NotFound);
        QCOMPARE(failure(m_store->remove(ann.id)), NotFound);

        // The address is free again.
        User again;
        QCOMPARE(create(u"ANN@example.com"_s, u"Ann Again"_s, &again), QString());
        QVERIFY(again.id != ann.id);
        QCOMPARE(describe(m_store->findByEmail(u"ann@example.com"_s)), describe(again));
        QCOMPARE(storedCount(), 2);
        QCOMPARE(searchEmails(u"ann"_s), QStringList{again.email});
        QCOMPARE(value(u"SELECT user_id FROM tasks"_s).toString(), ann.id);
    }

    void aFreedAddressCanBeTakenByUpdate()
    {
        User ann;
        User bob;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann"_s, &ann), QString());
        QCOMPARE(create(u"bob@example.com"_s, u"Bob"_s, &bob), QString());
        QCOMPARE(insertTask(ann.id, u"failed"_s), QString());
        QVERIFY(m_store->remove(ann.id).ok());

        const auto updated = m_store->update(bob.id, {u"Ann@Example.com"_s, u"Bob"_s});
        QVERIFY2(updated.ok(), qPrintable(failure(updated)));
        QCOMPARE(describe(m_store->findByEmail(u"ann@example.com"_s)), describe(*updated));
    }

    // --- the database under pressure ---

    void aWriteWaitsForAnotherProcessHoldingTheLock()
    {
        const QString sqlite3 = QStandardPaths::findExecutable(u"sqlite3"_s);
        if (sqlite3.isEmpty())
            QSKIP("the sqlite3 command-line shell is not installed");
        QProcess other;
        other.start(sqlite3, {m_db->path()});
        QVERIFY2(other.waitForStarted(), qPrintable(other.errorString()));
        other.write(".timeout 5000\n"
                    "BEGIN IMMEDIATE;\n"
                    "INSERT INTO users(id,email,name,created_at) VALUES('x','other@example.com','Other',1);\n"
                    ".print locked\n"
                    ".shell sleep 2\n"
                    "COMMIT;\n");
        other.closeWriteChannel();
        QByteArray out;
        while (!out.contains("locked") && other.waitForReadyRead(10'000))
            out += other.readAllStandardOutput();
        QVERIFY2(out.contains("locked"), QByteArray(out + other.readAllStandardError()).constData());

        // The other process holds the write lock now; the busy timeout must carry us past it.
        User ann;
        QCOMPARE(create(u"ann@example.com"_s, u"Ann"_s, &ann), QString());
        QVERIFY(other.waitForFinished(10'000));
        QCOMPARE(other.exitStatus(), QProcess::NormalExit);
        QCOMPARE(other.exitCode(), 0);
        QCOMPARE(other.readAllStandardError(), QByteArray());

        QCOMPARE(storedCount(), 2);
        QCOMPARE(describe(m_store->get(ann.id)), describe(ann));
        QCOMPARE(describe(m_store->get(u"x"_s)),
                 describe(User{u"x"_s, u"other@example.com"_s, u"Other"_s, 1}));
        QCOMPARE(searchEmails(u"other"_s), QStringList{u"other@example.com"_s});
    }

    void aFullDiskFailsCleanly()
    {
        const auto pages = m_db->scalar(u"PRAGMA page_count"_s);
        QVERIFY2(pages.ok(), qPrintable(failure(pages)));
        const QByteArray limit = "PRAGMA max_page_count = " + QByteArray::number(*pages);
        QVERIFY(m_db->exec(limit.constData()).ok());
        QCOMPARE(value(u"PRAGMA max_page_count"_s).toLongLong(), *pages);

        int created = 0;
        std::optional<Error> problem;
        QString refusedEmail;
        while (created < 10'000) {
            // 200 three-byte characters: each user takes most of a kilobyte.
            const QString email = u"user"_s + QString::number(created) + u"@example.com"_s;
            const auto made = m_store->create({email, QString::number(created) + u"李"_s.repeated(190)});
            if (!made) {
                problem = made.error();
                refusedEmail = email;
                break;
            }
            ++created;
        }
        QVERIFY2(problem, "the page limit never stopped a write");
        QVERIFY2(problem->message.contains(u"full"_s), qPrintable(problem->message));
        QVERIFY(!problem->invalidInput);
        QCOMPARE(storedCount(), created);
        QCOMPARE(value(u"SELECT count(*) FROM users"_s).toInt(), created);
        QVERIFY(!m_store->findByEmail(refusedEmail).ok());
        QCOMPARE(value(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);

        const QByteArray raised = "PRAGMA max_page_count = " + QByteArray::number(*pages + 100'000);
        QVERIFY(m_db->exec(raised.constData()).ok());
        QCOMPARE(create(refusedEmail, u"After"_s), QString());
        QCOMPARE(storedCount(), created + 1);
        QSqlQuery check(m_db->sql());
        QVERIFY2(check.exec(u"INSERT INTO users_fts(users_fts) VALUES('integrity-check')"_s),
                 qPrintable(check.lastError().text()));
        QCOMPARE(searchEmails(refusedEmail), QStringList{refusedEmail});
    }
};

QTEST_GUILESS_MAIN(TestUserStore)
#include "tst_userstore.moc"
