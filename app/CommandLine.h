#pragma once

#include "Result.h"

#include <QString>
#include <QStringList>

#include <optional>

/// What `workdeck` was asked to do (SPEC S5), read before any Qt application object exists
/// so that --help, --version and mistakes work without a display.
struct CommandLine {
    enum class Action { Window, Headless, Status, AddUser, Version, Help };

    Action action = Action::Window;
    QString database; ///< empty: the default database
    std::optional<int> workers;
    QString batch;
    QString email;
    QString name;

    static constexpr int MaxWorkers = 256;

    /// The first problem as one line, naming the option.
    static workdeck::Result<CommandLine> parse(const QStringList& arguments);
    static QString helpText();
};
