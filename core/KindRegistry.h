#pragma once

#include "TaskKind.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace workdeck {

/// The kinds a pool can run, addressed by a small index that tasks store instead of a name.
class KindRegistry {
public:
    KindRegistry() = default;
    KindRegistry(KindRegistry&&) = default;
    KindRegistry& operator=(KindRegistry&&) = default;

    /// simulate, checksum and command.
    static const KindRegistry& builtin();
    /// A registry holding the built-in kinds, to which tests or plugins may add more.
    static KindRegistry withBuiltins();

    /// Returns the new kind's index.
    int add(std::unique_ptr<TaskKind> kind);
    /// -1 when no kind has that name.
    int indexOf(QStringView name) const;
    const TaskKind& at(int index) const { return *m_kinds.at(static_cast<std::size_t>(index)); }
    int size() const { return static_cast<int>(m_kinds.size()); }
    QStringList names() const;

private:
    std::vector<std::unique_ptr<TaskKind>> m_kinds;
};

} // namespace workdeck
