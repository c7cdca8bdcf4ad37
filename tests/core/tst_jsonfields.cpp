#include "JsonFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace workdeck;

namespace {
QJsonObject parse(const char* json)
{
    return QJsonDocument::fromJson(json).object();
}
} // namespace

class TestJsonFields : public QObject {
    Q_OBJECT

private slots:
    void integers_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QString>("message");
        const QString range = QStringLiteral("n: must be an integer from 0 to 255, not ");
        QTest::newRow("in range") << QByteArray(R"({"n":5})") << true << qint64(5) << QString();
        QTest::newRow("absent takes the fallback") << QByteArray("{}") << true << qint64(9) << QString();
        QTest::newRow("whole float") << QByteArray(R"({"n":5.0})") << true << qint64(5) << QString();
        QTest::newRow("upper bound") << QByteArray(R"({"n":255})") << true << qint64(255) << QString();
        QTest::newRow("string") << QByteArray(R"({"n":"5"})") << false << qint64(0)
                                << range + u"the text \"5\"";
        QTest::newRow("fraction") << QByteArray(R"({"n":1.5})") << false << qint64(0) << range + u"1.5";
        QTest::newRow("negative") << QByteArray(R"({"n":-1})") << false << qint64(0) << range + u"-1";
        QTest::newRow("too big") << QByteArray(R"({"n":256})") << false << qint64(0) << range + u"256";
        QTest::newRow("huge") << QByteArray(R"({"n":1e300})") << false << qint64(0) << range + u"1e+300";
        QTest::newRow("bool") << QByteArray(R"({"n":true})") << false << qint64(0) << range + u"a boolean";
        QTest::newRow("array") << QByteArray(R"({"n":[1]})") << false << qint64(0) << range + u"an array";
        QTest::newRow("null") << QByteArray(R"({"n":null})") << false << qint64(0) << range + u"null";
    }

    void integers()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, ok);
        QFETCH(qint64, value);
        QFETCH(QString, message);
        const auto result = JsonFields::integer(parse(json.constData()), QStringLiteral("n"), 0, 255, 9);
        QCOMPARE(result.ok(), ok);
        if (ok)
            QCOMPARE(*result, value);
        else
            QCOMPARE(result.error().message, message);
    }

    void aRequiredIntegerMustBePresent()
    {
        const auto result = JsonFields::integer({}, QStringLiteral("n"), 1, 2, std::nullopt);
        QCOMPARE(result.error().message, QStringLiteral("n: is required (must be an integer from 1 to 2)"));
    }

    void strings()
    {
        QCOMPARE(*JsonFields::string(parse(R"({"s":"x"})"), QStringLiteral("s"), true), QStringLiteral("x"));
        QCOMPARE(JsonFields::string({}, QStringLiteral("s"), true).error().message,
                 QStringLiteral("s: is required"));
        QCOMPARE(JsonFields::string(parse(R"({"s":""})"), QStringLiteral("s"), true).error().message,
                 QStringLiteral("s: must not be empty"));
        QCOMPARE(JsonFields::string(parse(R"({"s":1})"), QStringLiteral("s"), false).error().message,
                 QStringLiteral("s: must be a string, not a number"));
        QCOMPARE(JsonFields::string(parse(R"({"s":"a\u0000b"})"), QStringLiteral("s"), false).error().message,
                 QStringLiteral("s: must not contain NUL characters"));
        QVERIFY(JsonFields::string({}, QStringLiteral("s"), false)->isNull());
    }

    void stringArrays()
    {
        QCOMPARE(*JsonFields::stringArray(parse(R"({"a":["x","y"]})"), QStringLiteral("a")),
                 (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
        QCOMPARE(JsonFields::stringArray(parse(R"({"a":"x"})"), QStringLiteral("a")).error().message,
                 QStringLiteral("a: must be an array of strings, not the text \"x\""));
        QCOMPARE(JsonFields::stringArray(parse(R"({"a":["x",2]})"), QStringLiteral("a")).error().message,
                 QStringLiteral("a: element 1 must be a string, not a number"));
    }

    void stringMaps()
    {
        const auto env = JsonFields::stringMap(parse(R"({"e":{"A":"1","B":""}})"), QStringLiteral("e"));
        QCOMPARE(env->size(), 2);
        QCOMPARE(env->at(0).first, QStringLiteral("A"));
        QCOMPARE(JsonFields::stringMap(parse(R"({"e":["A"]})"), QStringLiteral("e")).error().message,
                 QStringLiteral("e: must be an object of strings, not an array"));
        QCOMPARE(JsonFields::stringMap(parse(R"({"e":{"A":1}})"), QStringLiteral("e")).error().message,
                 QStringLiteral("e: \"A\" must be a string, not a number"));
        QCOMPARE(JsonFields::stringMap(parse(R"({"e":{"A=B":"1"}})"), QStringLiteral("e")).error().message,
                 QStringLiteral("e: \"A=B\" is not a valid variable name"));
    }

    void unknownFields()
    {
        QVERIFY(JsonFields::rejectUnknown(parse(R"({"a":1})"), {QStringLiteral("a")}).ok());
        QCOMPARE(
            JsonFields::rejectUnknown(parse(R"({"a":1,"prio":2})"), {QStringLiteral("a")}).error().message,
            QStringLiteral("prio: unknown field"));
    }
};

QTEST_GUILESS_MAIN(TestJsonFields)
#include "tst_jsonfields.moc"
