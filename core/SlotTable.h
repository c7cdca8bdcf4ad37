#pragma once

#include "HugePageAllocator.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <vector>

namespace workdeck {

/// A growing table of small records addressed by 32-bit slot numbers that never moves them:
/// the records live in chunks of 524,288 that stay where they were allocated. A thread that was
/// handed a slot under a lock may therefore read its record after letting go of the lock while
/// another thread, holding it, appends to the table.
///
/// Chunks are aligned to 2 MiB and advised to use huge pages: readers jump around tables of
/// millions, and on a virtual machine a miss in the TLB costs as much as the one in the cache.
template <typename T> class SlotTable {
    static_assert(std::is_trivially_destructible_v<T> && std::is_trivially_copyable_v<T>);

public:
    static constexpr unsigned ChunkBits = 19;
    static constexpr std::size_t ChunkSize = std::size_t{1} << ChunkBits;

    SlotTable()
    {
        // Reserved whole, so that appending a chunk never moves the pointers readers look up.
        // Untouched, the reservation costs address space, not memory.
        m_chunks.reserve((std::size_t{1} << 32) >> ChunkBits);
    }
    ~SlotTable()
    {
        for (T* chunk : m_chunks)
            ::operator delete(chunk, ChunkAlignment);
    }
    SlotTable(const SlotTable&) = delete;
    SlotTable& operator=(const SlotTable&) = delete;

    T& operator[](std::uint32_t slot) { return m_chunks[slot >> ChunkBits][slot & (ChunkSize - 1)]; }
    const T& operator[](std::uint32_t slot) const
    {
        return m_chunks[slot >> ChunkBits][slot & (ChunkSize - 1)];
    }
    std::size_t size() const { return m_size; }

    /// Appends a default record; returns its slot.
    std::uint32_t append()
    {
        const std::uint32_t slot = grow();
        new (&(*this)[slot]) T{};
        return slot;
    }
    /// Appends a record left unwritten, for the caller to write whole before anything reads it
    /// (perhaps without the lock that guards the table); returns its slot.
    std::uint32_t grow() { return grow(1); }
    /// Appends `count` records left unwritten, as grow() does; returns the first one's slot.
    /// They lie in one chunk when the table's size and `count` divide the chunk size.
    std::uint32_t grow(std::uint32_t count)
    {
        const auto first = static_cast<std::uint32_t>(m_size);
        m_size += count;
        while (m_size > m_chunks.size() * ChunkSize) {
            // Address space only: pages are given as records are first written.
            void* chunk = ::operator new(ChunkBytes, ChunkAlignment);
            adviseHugePages(chunk, ChunkBytes);
            m_chunks.push_back(static_cast<T*>(chunk));
        }
        return first;
    }

private:
    static constexpr std::size_t ChunkBytes = ChunkSize * sizeof(T);
    static constexpr std::align_val_t ChunkAlignment{2 * 1024 * 1024};

    std::vector<T*> m_chunks;
    std::size_t m_size = 0;
};

} // namespace workdeck
