// libFuzzer target: the user rules of SPEC S1 (UserValidator), fed what a form, a batch's
// `user` field or --add-user could carry. The input is "email\nname" in UTF-8 (any bytes).
#include "UserValidator.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using workdeck::UserValidator;
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const qsizetype split = bytes.indexOf('\n');
    const workdeck::UserInput input{QString::fromUtf8(split < 0 ? bytes : bytes.left(split)),
                                    QString::fromUtf8(split < 0 ? QByteArray() : bytes.mid(split + 1))};
    const auto problems = UserValidator::problems(input);
    const auto valid = UserValidator::validate(input);
    // The three entry points agree, and what is accepted keeps the promises of S1.
    if (valid.ok() != problems.isEmpty())
        std::abort();
    for (const auto& problem : problems) {
        if (problem.message.isEmpty())
            std::abort();
    }
    if (valid.ok()) {
        const QString& email = valid->email;
        if (email.isEmpty() || email.size() > UserValidator::MaxEmailLength || email.count(u'@') != 1 ||
            email != email.trimmed() || valid->name.isEmpty())
            std::abort();
        if (!UserValidator::emailProblem(email).isEmpty() ||
            !UserValidator::nameProblem(valid->name).isEmpty())
            std::abort();
    }
    return 0;
}
