#pragma once

#include "TaskKind.h"

#include <cstdint>
#include <vector>

namespace workdeck {

/// Holds the parameter objects of the pool's tasks, shared and counted under the pool's lock.
/// A task refers to its parameters by a 4-byte index, and a batch whose tasks share one
/// parameter object costs one entry; releasing a task never touches an atomic reference
/// count that every worker would fight over.
class ParamsTable {
public:
    /// Takes `count` references to `params`' entry. Copies `params` only when it is not the
    /// object acquired last, so that a batch sharing one object costs no atomic reference
    /// count per task (see WorkerPool::submitBatch).
    std::uint32_t acquire(const ParamsPtr& params, std::uint64_t count = 1);
    /// Lets go of `count` references to an entry.
    void release(std::uint32_t index, std::uint64_t count = 1);
    const KindParams* get(std::uint32_t index) const { return m_entries[index].params.get(); }
    std::size_t entryCount() const { return m_entries.size() - m_free.size(); }

private:
    struct Entry {
        ParamsPtr params;
        std::uint64_t refs = 0;
    };
    std::vector<Entry> m_entries;
    std::vector<std::uint32_t> m_free;
    std::uint32_t m_last = UINT32_MAX; ///< the entry acquired last, reused for the same object
};

} // namespace workdeck
