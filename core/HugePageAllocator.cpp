#include "HugePageAllocator.h"

#include <cstdint>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace workdeck {

void adviseHugePages(void* data, std::size_t bytes)
{
#ifdef MADV_HUGEPAGE
    constexpr std::uintptr_t hugePage = 2 * 1024 * 1024;
    if (bytes < 2 * hugePage)
        return;
    // Only whole huge pages inside the block; the kernel refuses unaligned ranges.
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + hugePage - 1) & ~(hugePage - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(hugePage - 1);
    if (end > begin)
        (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE); // advice only
#else
    (void)data;
    (void)bytes;
#endif
}

} // namespace workdeck
