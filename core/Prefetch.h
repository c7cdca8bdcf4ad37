#pragma once

#include <cstddef>

namespace workdeck {

namespace detail {
extern const bool canPrefetchForWriting; ///< the processor has PREFETCHW
}

/// Asks for the object of `size` bytes at `address`, at most a cache line long (so on one or
/// two lines), to be fetched ready to be written. __builtin_prefetch(address, 1) does not do
/// that without -mprfchw: it fetches the line to be read, and a write then waits for the line
/// to be claimed all the same.
inline void prefetchForWriting(const void* address, std::size_t size)
{
    const char* first = static_cast<const char*>(address);
    const char* last = first + size - 1;
#if defined(__x86_64__)
    if (detail::canPrefetchForWriting) {
        asm volatile("prefetchw %0\n\tprefetchw %1" : : "m"(*first), "m"(*last));
        return;
    }
#endif
    __builtin_prefetch(first, 1);
    __builtin_prefetch(last, 1);
}

} // namespace workdeck
