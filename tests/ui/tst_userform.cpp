#include "Database.h"
#include "UserForm.h"
#include "UserStore.h"
#include "UserValidator.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace workdeck;
using namespace Qt::StringLiterals;

class TestUserForm : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<UserForm> m_form;

    template <typename T> T* child(const QString& name)
    {
        auto* found = m_form->findChild<T*>(name);
        if (!found)
            qFatal("no child %s", qPrintable(name));
        return found;
    }
    QLineEdit* email() { return child<QLineEdit>(u"email"_s); }
    QLineEdit* name() { return child<QLineEdit>(u"name"_s); }
    QLabel* emailMessage() { return child<QLabel>(u"emailMessage"_s); }
    QLabel* nameMessage() { return child<QLabel>(u"nameMessage"_s); }
    QPushButton* submit() { return child<QPushButton>(u"submit"_s); }

    qint64 userCount() const
    {
        const auto count = m_users->count();
        return count ? *count : -1;
    }

    /// Puts `text` into `edit` the way a person gets characters there that no key types: paste.
    static void paste(QLineEdit* edit, const QString& text)
    {
        QGuiApplication::clipboard()->setText(text);
        edit->setFocus();
        QTest::keySequence(edit, QKeySequence::Paste);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        auto db = Database::open(m_dir->filePath(u"w.sqlite"_s));
        QVERIFY2(db, db ? "" : qPrintable(db.error().message));
        m_db = std::move(*db);
        m_users = std::make_unique<UserStore>(*m_db);
        m_form = std::make_unique<UserForm>(*m_users);
        m_form->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_form.get()));
    }

    void cleanup()
    {
        m_form.reset();
        m_users.reset();
        m_db.reset();
        m_dir.reset();
    }

    void untouchedFormIsQuietButCannotBeSubmitted()
    {
        QCOMPARE(m_form->windowTitle(), u"Add User"_s);
        QCOMPARE(submit()->text(), u"Add User"_s);
        QCOMPARE(emailMessage()->text(), QString());
        QCOMPARE(nameMessage()->text(), QString());
        QVERIFY(!submit()->isEnabled());
    }

    void validUserIsAdded()
    {
        QSignalSpy added(m_form.get(), &UserForm::userAdded);
        QTest::keyClicks(email(), u"  ada@example.com "_s);
        QTest::keyClicks(name(), u"Ada Lovelace"_s);
        QCOMPARE(emailMessage()->text(), QString());
        QCOMPARE(nameMessage()->text(), QString());
        QVERIFY(submit()->isEnabled());

        QTest::mouseClick(submit(), Qt::LeftButton);

        QCOMPARE(added.size(), 1);
        const auto user = added.at(0).at(0).value<User>();
        QCOMPARE(user.email, u"ada@example.com"_s); // trimmed, as core stores it
        QCOMPARE(user.name, u"Ada Lovelace"_s);
        const auto stored = m_users->findByEmail(u"ada@example.com"_s);
        QVERIFY(stored);
        QCOMPARE(stored->id, user.id);
        QCOMPARE(stored->name, u"Ada Lovelace"_s);
        QCOMPARE(m_form->result(), int(QDialog::Accepted));
        QVERIFY(!m_form->isVisible());
    }

    void enterSubmits()
    {
        QSignalSpy added(m_form.get(), &UserForm::userAdded);
        QTest::keyClicks(email(), u"grace@example.com"_s);
        QTest::keyClicks(name(), u"Grace Hopper"_s);
        QTest::keyClick(name(), Qt::Key_Return);
        QCOMPARE(added.size(), 1);
        QCOMPARE(userCount(), 1);
        QCOMPARE(m_form->result(), int(QDialog::Accepted));
    }

    void sqlLookingTextIsStoredAsTyped()
    {
        const QString text = u"Robert'); DROP TABLE users;--"_s;
        QTest::keyClicks(email(), u"bobby@example.com"_s);
        QTest::keyClicks(name(), text);
        QTest::keyClick(name(), Qt::Key_Return);
        const auto stored = m_users->findByEmail(u"bobby@example.com"_s);
        QVERIFY(stored);
        QCOMPARE(stored->name, text);
    }

    void invalidEmailShowsCoreMessage_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::newRow("no @") << u"ada.example.com"_s;
        QTest::newRow("empty local part") << u"@example.com"_s;
        QTest::newRow("label ends with -") << u"ada@example-.com"_s;
        QTest::newRow("two @") << u"ada@b@example.com"_s;
        QTest::newRow("too long") << (QString(250, u'a') + u"@example.com"_s);
    }

    void invalidEmailShowsCoreMessage()
    {
        QFETCH(QString, typed);
        QTest::keyClicks(name(), u"Ada"_s);
        QTest::keyClicks(email(), typed);

        const QString expected = UserValidator::emailProblem(typed);
        QVERIFY(!expected.isEmpty());
        QCOMPARE(emailMessage()->text(), expected);
        QVERIFY(emailMessage()->isVisible());
        QVERIFY(!submit()->isEnabled());

        QTest::keyClick(email(), Qt::Key_Return);
        QCOMPARE(userCount(), 0);
        QVERIFY(m_form->isVisible());
    }

    void messageFollowsTyping()
    {
        // The message changes with every key, and goes once the address is whole.
        QTest::keyClicks(email(), u"ada"_s);
        QCOMPARE(emailMessage()->text(), u"must be an address like name@example.com"_s);
        QTest::keyClicks(email(), u"@example.com"_s);
        QCOMPARE(emailMessage()->text(), QString());
        // Emptying a field that was typed in is a problem worth showing.
        email()->selectAll();
        QTest::keyClick(email(), Qt::Key_Backspace);
        QCOMPARE(emailMessage()->text(), UserValidator::emailProblem(QString()));
        // The name was never touched: no message yet.
        QCOMPARE(nameMessage()->text(), QString());
    }

    void invalidNameShowsCoreMessage_data()
    {
        QTest::addColumn<QString>("pasted");
        QTest::newRow("too long") << QString(UserValidator::MaxNameLength + 1, u'n');
        QTest::newRow("bell") << u"Ada\u0007Lovelace"_s;
        QTest::newRow("tab") << u"Ada\tLovelace"_s;
        QTest::newRow("line separator") << u"Ada\u2028Lovelace"_s;
        QTest::newRow("next line (C1)") << u"Ada\u0085Lovelace"_s;
    }

    void invalidNameShowsCoreMessage()
    {
        QFETCH(QString, pasted);
        QTest::keyClicks(email(), u"ada@example.com"_s);
        paste(name(), pasted);
        QCOMPARE(name()->text(), pasted); // what the person pasted, not a cleaned-up copy

        const QString expected = UserValidator::nameProblem(pasted);
        QVERIFY(!expected.isEmpty());
        QCOMPARE(nameMessage()->text(), expected);
        QVERIFY(!submit()->isEnabled());
        QTest::keyClick(name(), Qt::Key_Return);
        QCOMPARE(userCount(), 0);
    }

    void duplicateEmailDifferingInCaseShowsUnderEmail()
    {
        QVERIFY(m_users->create({u"ada@example.com"_s, u"Ada"_s}));
        QSignalSpy added(m_form.get(), &UserForm::userAdded);

        QTest::keyClicks(email(), u"ADA@Example.COM"_s);
        QTest::keyClicks(name(), u"Another Ada"_s);
        QVERIFY(submit()->isEnabled()); // only the store knows who exists
        QTest::keyClick(name(), Qt::Key_Return);

        QCOMPARE(emailMessage()->text(), u"another user already has this e-mail address"_s);
        QCOMPARE(nameMessage()->text(), QString());
        QCOMPARE(child<QLabel>(u"formMessage"_s)->text(), QString());
        QCOMPARE(added.size(), 0);
        QCOMPARE(userCount(), 1);
        QVERIFY(m_form->isVisible());
        QCOMPARE(QApplication::focusWidget(), email());

        // Changing the address takes the store's message away and allows another try.
        email()->selectAll();
        QTest::keyClicks(email(), u"ada2@example.com"_s);
        QCOMPARE(emailMessage()->text(), QString());
        QTest::keyClick(email(), Qt::Key_Return);
        QCOMPARE(added.size(), 1);
        QCOMPARE(userCount(), 2);
    }

    void enterOnIncompleteFormShowsEveryProblem()
    {
        QTest::keyClick(email(), Qt::Key_Return);
        QCOMPARE(emailMessage()->text(), UserValidator::emailProblem(QString()));
        QCOMPARE(nameMessage()->text(), UserValidator::nameProblem(QString()));
        QVERIFY(m_form->isVisible());
        QCOMPARE(userCount(), 0);
    }

    void messagesDoNotMoveTheFields()
    {
        const int nameTop = name()->geometry().top();
        QTest::keyClicks(email(), u"not an address"_s);
        QVERIFY(!emailMessage()->text().isEmpty());
        QCOMPARE(name()->geometry().top(), nameTop);
    }

    void editModeUpdatesTheUser()
    {
        const auto ada = m_users->create({u"ada@example.com"_s, u"Ada"_s});
        QVERIFY(ada);
        m_form->setExisting(*ada);
        QCOMPARE(m_form->windowTitle(), u"Edit User"_s);
        QCOMPARE(email()->text(), u"ada@example.com"_s);
        QSignalSpy updated(m_form.get(), &UserForm::userUpdated);
        QSignalSpy added(m_form.get(), &UserForm::userAdded);

        name()->selectAll();
        QTest::keyClicks(name(), u"Ada Lovelace"_s);
        QTest::keyClick(name(), Qt::Key_Return);

        QCOMPARE(updated.size(), 1);
        QCOMPARE(added.size(), 0);
        const auto stored = m_users->get(ada->id);
        QVERIFY(stored);
        QCOMPARE(stored->name, u"Ada Lovelace"_s);
        QCOMPARE(userCount(), 1);
    }

    void cancelStoresNothing()
    {
        QTest::keyClicks(email(), u"ada@example.com"_s);
        QTest::keyClicks(name(), u"Ada"_s);
        QTest::keyClick(name(), Qt::Key_Escape);
        QCOMPARE(m_form->result(), int(QDialog::Rejected));
        QCOMPARE(userCount(), 0);
    }
};

QTEST_MAIN(TestUserForm)
#include "tst_userform.moc"
