#include "KindRegistry.h"

#include "ChecksumKind.h"
#include "CommandKind.h"
#include "SimulateKind.h"

namespace workdeck {

const KindRegistry& KindRegistry::builtin()
{
    static const KindRegistry registry = withBuiltins();
    return registry;
}

KindRegistry KindRegistry::withBuiltins()
{
    KindRegistry registry;
    registry.add(std::make_unique<SimulateKind>());
    registry.add(std::make_unique<ChecksumKind>());
    registry.add(std::make_unique<CommandKind>());
    return registry;
}

int KindRegistry::add(std::unique_ptr<TaskKind> kind)
{
    m_kinds.push_back(std::move(kind));
    return size() - 1;
}

int KindRegistry::indexOf(QStringView name) const
{
    for (std::size_t i = 0; i < m_kinds.size(); ++i) {
        if (m_kinds[i]->name() == name)
            return static_cast<int>(i);
    }
    return -1;
}

QStringList KindRegistry::names() const
{
    QStringList result;
    for (const auto& kind : m_kinds)
        result.append(kind->name());
    return result;
}

} // namespace workdeck
