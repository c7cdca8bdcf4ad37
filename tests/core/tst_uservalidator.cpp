#include "UserValidator.h"

#include <QTest>

using namespace workdeck;

namespace {
const QString Required = QStringLiteral("is required");
const QString NotAnAddress = QStringLiteral("must be an address like name@example.com");
const QString ControlCharacters =
    QStringLiteral("must not contain control characters such as tabs or line breaks");

QString tooLong(int max, int actual)
{
    return u"must be at most " + QString::number(max) + u" characters (this one has " +
           QString::number(actual) + u')';
}

QString repeated(QStringView text, int times)
{
    return text.toString().repeated(times);
}

// A QString with the one character `c` between `before` and `after`, for NUL and friends that a
// string literal would cut short.
QString around(QStringView before, char16_t c, QStringView after)
{
    return before.toString() + QChar(c) + after;
}
} // namespace

class TestUserValidator : public QObject {
    Q_OBJECT

private slots:
    void emails_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("problem");
        const QString label63 = repeated(u"a", 63);
        // 1 + 1 + 63 + 1 + 63 + 1 + 63 + 1 + 60 = 254.
        const QString longest = u"a@" + label63 + u'.' + label63 + u'.' + label63 + u'.' + repeated(u"b", 60);

        QTest::newRow("plain") << QStringLiteral("ann@example.com") << QString();
        QTest::newRow("plus addressing") << QStringLiteral("ann+workdeck@example.com") << QString();
        QTest::newRow("dots in the local part") << QStringLiteral("ann.lee@example.com") << QString();
        QTest::newRow("leading dot in the local part") << QStringLiteral(".ann@example.com") << QString();
        QTest::newRow("consecutive dots in the local part")
            << QStringLiteral("a..b@example.com") << QString();
        QTest::newRow("every allowed symbol")
            << QStringLiteral("!#$%&'*+/=?^_`{|}~-.@example.com") << QString();
        QTest::newRow("single-label domain") << QStringLiteral("user@localhost") << QString();
        QTest::newRow("digits") << QStringLiteral("007@123.example") << QString();
        QTest::newRow("dotted digits are labels") << QStringLiteral("user@1.2.3.4") << QString();
        QTest::newRow("hyphen inside a label") << QStringLiteral("ann@my-host.example.com") << QString();
        QTest::newRow("punycode label") << QStringLiteral("ann@xn--bcher-kva.example") << QString();
        QTest::newRow("upper case kept") << QStringLiteral("Ann@Example.COM") << QString();
        QTest::newRow("63-character label") << QString(u"ann@" + label63 + u".com") << QString();
        QTest::newRow("exactly 254 characters") << longest << QString();
        QTest::newRow("surrounding whitespace trimmed")
            << QStringLiteral("  \tann@example.com \n") << QString();
        QTest::newRow("trailing ideographic space trimmed")
            << QStringLiteral("ann@example.com\u3000") << QString();

        QTest::newRow("empty") << QString() << Required;
        QTest::newRow("only spaces") << QStringLiteral("   ") << Required;
        QTest::newRow("only tabs and line breaks") << QStringLiteral("\t\r\n") << Required;
        QTest::newRow("255 characters") << QString(u'a' + longest) << tooLong(254, 255);
        QTest::newRow("300 characters, not an address either") << repeated(u"x", 300) << tooLong(254, 300);
        QTest::newRow("no @") << QStringLiteral("ann.example.com") << NotAnAddress;
        QTest::newRow("two @") << QStringLiteral("ann@lee@example.com") << NotAnAddress;
        QTest::newRow("empty local part") << QStringLiteral("@example.com") << NotAnAddress;
        QTest::newRow("empty domain") << QStringLiteral("ann@") << NotAnAddress;
        QTest::newRow("only @") << QStringLiteral("@") << NotAnAddress;
        QTest::newRow("label starts with a hyphen") << QStringLiteral("ann@-example.com") << NotAnAddress;
        QTest::newRow("label ends with a hyphen") << QStringLiteral("ann@example-.com") << NotAnAddress;
        QTest::newRow("domain is a hyphen") << QStringLiteral("ann@-") << NotAnAddress;
        QTest::newRow("64-character label") << QString(u"ann@" + label63 + u"a.com") << NotAnAddress;
        QTest::newRow("empty label") << QStringLiteral("a@b..c") << NotAnAddress;
        QTest::newRow("leading dot in the domain") << QStringLiteral("ann@.example.com") << NotAnAddress;
        QTest::newRow("trailing dot") << QStringLiteral("ann@example.com.") << NotAnAddress;
        QTest::newRow("underscore in the domain") << QStringLiteral("ann@my_host.example") << NotAnAddress;
        QTest::newRow("space inside") << QStringLiteral("ann lee@example.com") << NotAnAddress;
        QTest::newRow("space before @") << QStringLiteral("ann @example.com") << NotAnAddress;
        QTest::newRow("non-ASCII local part") << QStringLiteral("josé@example.com") << NotAnAddress;
        QTest::newRow("non-ASCII domain") << QStringLiteral("ann@bücher.example") << NotAnAddress;
        QTest::newRow("fullwidth @") << QStringLiteral("ann＠example.com") << NotAnAddress;
        QTest::newRow("no-break space inside") << QStringLiteral("ann\u00a0lee@example.com") << NotAnAddress;
        QTest::newRow("quoted local part") << QStringLiteral("\"ann lee\"@example.com") << NotAnAddress;
        QTest::newRow("quoted local part without space")
            << QStringLiteral("\"ann\"@example.com") << NotAnAddress;
        QTest::newRow("IP literal") << QStringLiteral("ann@[1.2.3.4]") << NotAnAddress;
        QTest::newRow("comment") << QStringLiteral("ann(work)@example.com") << NotAnAddress;
        QTest::newRow("display name") << QStringLiteral("Ann <ann@example.com>") << NotAnAddress;
        QTest::newRow("mailto URL") << QStringLiteral("mailto:ann@example.com") << NotAnAddress;
        QTest::newRow("tab inside") << QStringLiteral("ann\t@example.com") << NotAnAddress;
        QTest::newRow("line feed inside")
            << QStringLiteral("ann@example.com\nbcc@example.com") << NotAnAddress;
        QTest::newRow("NUL inside") << around(u"ann", 0, u"@example.com") << NotAnAddress;
        QTest::newRow("DEL inside") << around(u"ann", 0x7f, u"@example.com") << NotAnAddress;
    }

    void emails()
    {
        QFETCH(QString, email);
        QFETCH(QString, problem);
        QCOMPARE(UserValidator::emailProblem(email), problem);

        const QList<FieldProblem> found = UserValidator::problems({email, QStringLiteral("Ann")});
        QCOMPARE(found.size(), problem.isEmpty() ? 0 : 1);
        if (!problem.isEmpty()) {
            QCOMPARE(found.first().field, QStringLiteral("email"));
            QCOMPARE(found.first().message, problem);
        }
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem");
        const QString grinning = QStringLiteral("😀"); // one code point, two QChars

        QTest::newRow("plain") << QStringLiteral("Ann Lee") << QString();
        QTest::newRow("surrounding whitespace trimmed") << QStringLiteral("\t Ann Lee \r\n") << QString();
        QTest::newRow("accents") << QStringLiteral("Zoë Ångström") << QString();
        QTest::newRow("CJK") << QStringLiteral("李小龍") << QString();
        QTest::newRow("right to left") << QStringLiteral("محمد") << QString();
        QTest::newRow("apostrophe") << QStringLiteral("Seán O'Brien") << QString();
        QTest::newRow("no-break space inside") << QStringLiteral("Ann\u00a0Lee") << QString();
        QTest::newRow("emoji joined by ZWJ") << QStringLiteral("Family 👨‍👩‍👧") << QString();
        QTest::newRow("looks like SQL") << QStringLiteral("Robert'); DROP TABLE users;--") << QString();
        QTest::newRow("200 characters") << repeated(u"a", 200) << QString();
        QTest::newRow("200 emoji in 400 QChars") << repeated(grinning, 200) << QString();
        QTest::newRow("199 letters and an emoji") << QString(repeated(u"a", 199) + grinning) << QString();

        QTest::newRow("empty") << QString() << Required;
        QTest::newRow("only spaces") << QStringLiteral("    ") << Required;
        QTest::newRow("201 characters") << repeated(u"a", 201) << tooLong(200, 201);
        QTest::newRow("201 emoji") << repeated(grinning, 201) << tooLong(200, 201);
        QTest::newRow("half an emoji") << QString(u"Ann " + grinning.left(1) + u" Lee")
                                       << QStringLiteral("contains a broken character; type it again");
        QTest::newRow("200 letters and an emoji")
            << QString(repeated(u"a", 200) + grinning) << tooLong(200, 201);
        QTest::newRow("too long beats control characters") << repeated(u"\t.", 150) << tooLong(200, 299);
        QTest::newRow("tab") << QStringLiteral("Ann\tLee") << ControlCharacters;
        QTest::newRow("line feed") << QStringLiteral("Ann\nLee") << ControlCharacters;
        QTest::newRow("carriage return") << QStringLiteral("Ann\rLee") << ControlCharacters;
        QTest::newRow("NUL") << around(u"Ann", 0, u"Lee") << ControlCharacters;
        QTest::newRow("DEL") << around(u"Ann", 0x7f, u"Lee") << ControlCharacters;
        QTest::newRow("escape") << around(u"Ann", 0x1b, u"[31mLee") << ControlCharacters;
        QTest::newRow("next line U+0085") << around(u"Ann", 0x85, u"Lee") << ControlCharacters;
        QTest::newRow("C1 control U+009B") << around(u"Ann", 0x9b, u"Lee") << ControlCharacters;
        QTest::newRow("line separator U+2028") << around(u"Ann", 0x2028, u"Lee") << ControlCharacters;
        QTest::newRow("paragraph separator U+2029") << around(u"Ann", 0x2029, u"Lee") << ControlCharacters;
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        QCOMPARE(UserValidator::nameProblem(name), problem);

        const QList<FieldProblem> found = UserValidator::problems({QStringLiteral("ann@example.com"), name});
        QCOMPARE(found.size(), problem.isEmpty() ? 0 : 1);
        if (!problem.isEmpty()) {
            QCOMPARE(found.first().field, QStringLiteral("name"));
            QCOMPARE(found.first().message, problem);
        }
    }

    void validate_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("message");

        QTest::newRow("both empty") << QString() << QString()
                                    << QStringLiteral("email: is required; name: is required");
        QTest::newRow("email only") << QStringLiteral("ann") << QStringLiteral("Ann")
                                    << QStringLiteral("email: must be an address like name@example.com");
        QTest::newRow("name only") << QStringLiteral("ann@example.com") << QStringLiteral("  ")
                                   << QStringLiteral("name: is required");
        QTest::newRow("both wrong")
            << QStringLiteral("ann@example..com") << QStringLiteral("Ann\nLee")
            << QStringLiteral("email: must be an address like name@example.com; "
                              "name: must not contain control characters such as tabs or line breaks");
        QTest::newRow("both too long")
            << QString(repeated(u"a", 250) + u"@b.cd") << repeated(u"n", 250)
            << QStringLiteral("email: must be at most 254 characters (this one has 255); "
                              "name: must be at most 200 characters (this one has 250)");
    }

    void validate()
    {
        QFETCH(QString, email);
        QFETCH(QString, name);
        QFETCH(QString, message);
        const auto result = UserValidator::validate({email, name});
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, message);
    }

    void problemsComeInFieldOrder()
    {
        const QList<FieldProblem> found =
            UserValidator::problems({QStringLiteral(" "), QStringLiteral("\t")});
        QCOMPARE(found.size(), 2);
        QCOMPARE(found.at(0).field, QStringLiteral("email"));
        QCOMPARE(found.at(0).message, Required);
        QCOMPARE(found.at(1).field, QStringLiteral("name"));
        QCOMPARE(found.at(1).message, Required);
    }

    void validateReturnsTrimmedValues()
    {
        const auto result = UserValidator::validate(
            {QStringLiteral(" \tAnn@Example.com\n"), QStringLiteral("\u3000 Ann  Lee \r\n")});
        QVERIFY(result.ok());
        QCOMPARE(result->email, QStringLiteral("Ann@Example.com"));
        QCOMPARE(result->name, QStringLiteral("Ann  Lee"));
    }

    void sqlLookingTextIsKeptByteForByte()
    {
        const QString name = QStringLiteral("Robert'); DROP TABLE users;--");
        const auto result = UserValidator::validate({QStringLiteral("bobby@example.com"), name});
        QVERIFY(result.ok());
        QCOMPARE(result->name, name);
        QCOMPARE(result->name.toUtf8(), QByteArray("Robert'); DROP TABLE users;--"));
    }

    void limitsMatchTheSpec()
    {
        QCOMPARE(UserValidator::MaxEmailLength, 254);
        QCOMPARE(UserValidator::MaxNameLength, 200);
    }
};

QTEST_GUILESS_MAIN(TestUserValidator)
#include "tst_uservalidator.moc"
