#pragma once

#include "Result.h"

#include <QList>
#include <QString>

namespace workdeck {

/// What a person typed for a user, before validation.
struct UserInput {
    QString email;
    QString name;
};

/// One problem with one field of a form: `field` is "email" or "name".
struct FieldProblem {
    QString field;
    QString message;
};

/// The rules of SPEC S1 for users, shared by the store, the form and the command line.
/// Pure functions without shared state: safe to call from any thread.
class UserValidator {
public:
    static constexpr int MaxEmailLength = 254;
    static constexpr int MaxNameLength = 200;

    /// Every problem of the input (after trimming), in field order email, name; empty when valid.
    static QList<FieldProblem> problems(const UserInput& input);
    /// The problem of one field alone (for inline messages as the user types), or an empty string.
    /// The field is trimmed first, as problems() and validate() do.
    static QString emailProblem(const QString& email);
    static QString nameProblem(const QString& name);
    /// The trimmed input when valid; otherwise an Error whose message lists each problem as
    /// "field: message", joined with "; ".
    static Result<UserInput> validate(const UserInput& input);
};

} // namespace workdeck
