#include "UserValidator.h"

#include <QStringList>
#include <QStringTokenizer>

#include <algorithm>

namespace workdeck {

namespace {

constexpr int MaxLabelLength = 63;

// The email grammar is scanned by hand rather than with a shared static QRegularExpression: the
// class is documented as reentrant, not thread-safe, and the store validates on its own thread
// while the form validates on the UI thread. The scanner follows the HTML living standard's
// "valid e-mail address" production rule by rule.

bool isAsciiLetterOrDigit(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

bool isLocalPartCharacter(QChar c)
{
    return isAsciiLetterOrDigit(c) || QStringView(u".!#$%&'*+/=?^_`{|}~-").contains(c);
}

// 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen.
bool isDomainLabel(QStringView label)
{
    if (label.isEmpty() || label.size() > MaxLabelLength)
        return false;
    if (label.front() == u'-' || label.back() == u'-')
        return false;
    return std::all_of(label.begin(), label.end(),
                       [](QChar c) { return isAsciiLetterOrDigit(c) || c == u'-'; });
}

// Everything outside ASCII fails here, because every allowed character is ASCII. Unlike the
// RFC 5322 grammar, quoted local parts, comments and IP literals ("[1.2.3.4]") are not addresses.
bool isEmailAddress(QStringView email)
{
    const qsizetype at = email.indexOf(u'@');
    if (at <= 0) // no '@', or an empty local part
        return false;
    const QStringView local = email.first(at);
    if (!std::all_of(local.begin(), local.end(), isLocalPartCharacter))
        return false;
    // A second '@' lands in the domain and fails as a label character there.
    for (const QStringView label : qTokenize(email.sliced(at + 1), u'.')) {
        if (!isDomainLabel(label))
            return false;
    }
    return true;
}

// Length in Unicode code points, not QChars: an emoji outside the BMP is one character to the
// person typing it but two UTF-16 units. Grapheme clusters would be closer still, but their
// boundaries change between Unicode versions, and a limit must not move under stored data.
// A lone surrogate counts as one.
qsizetype codePointCount(QStringView text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

// Category Cc (U+0000–U+001F, U+007F–U+009F: tabs, line feeds, NUL, DEL, NEL …) and the Unicode
// line and paragraph separators U+2028/U+2029, which break a name across lines in a table or a
// log just as a line feed does. Format characters (Cf) stay allowed: the zero-width joiner holds
// emoji sequences such as 👨‍👩‍👧 together, and names in several scripts need joiners.
bool isForbiddenInName(QChar c)
{
    switch (c.category()) {
    case QChar::Other_Control:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QString tooLong(int max, qsizetype actual)
{
    return u"must be at most " + QString::number(max) + u" characters (this one has " +
           QString::number(actual) + u')';
}

} // namespace

QList<FieldProblem> UserValidator::problems(const UserInput& input)
{
    QList<FieldProblem> result;
    if (QString problem = emailProblem(input.email); !problem.isEmpty())
        result.append({QStringLiteral("email"), std::move(problem)});
    if (QString problem = nameProblem(input.name); !problem.isEmpty())
        result.append({QStringLiteral("name"), std::move(problem)});
    return result;
}

QString UserValidator::emailProblem(const QString& email)
{
    const QString trimmed = email.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("is required");
    if (const qsizetype length = codePointCount(trimmed); length > MaxEmailLength)
        return tooLong(MaxEmailLength, length);
    if (!isEmailAddress(trimmed))
        return QStringLiteral("must be an address like name@example.com");
    return {};
}

QString UserValidator::nameProblem(const QString& name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("is required");
    if (const qsizetype length = codePointCount(trimmed); length > MaxNameLength)
        return tooLong(MaxNameLength, length);
    if (std::any_of(trimmed.begin(), trimmed.end(), isForbiddenInName))
        return QStringLiteral("must not contain control characters such as tabs or line breaks");
    if (!trimmed.isValidUtf16()) // a lone half of a surrogate pair could not be stored as it is
        return QStringLiteral("contains a broken character; type it again");
    return {};
}

Result<UserInput> UserValidator::validate(const UserInput& input)
{
    const QList<FieldProblem> found = problems(input);
    if (found.isEmpty())
        return UserInput{input.email.trimmed(), input.name.trimmed()};
    QStringList messages;
    messages.reserve(found.size());
    for (const FieldProblem& problem : found)
        messages.append(problem.field + u": " + problem.message);
    return Error{messages.join(u"; ")};
}

} // namespace workdeck
