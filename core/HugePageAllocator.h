#pragma once

#include <cstddef>
#include <memory>

namespace workdeck {

/// Asks the kernel to back `bytes` at `data` with huge pages where it can (Linux transparent
/// huge pages in "madvise" mode): the first touch then faults 2 MiB at a time instead of 4 KiB.
/// A no-op for small buffers and elsewhere.
void adviseHugePages(void* data, std::size_t bytes);

/// std::allocator, except that large blocks are advised to use huge pages. For tables of
/// millions of small records, which otherwise take a page fault every hundred records as they
/// fill (expensive on virtual machines).
template <typename T> struct HugePageAllocator {
    using value_type = T;

    HugePageAllocator() = default;
    template <typename U> HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t n)
    {
        T* data = std::allocator<T>().allocate(n);
        adviseHugePages(data, n * sizeof(T));
        return data;
    }
    void deallocate(T* data, std::size_t n) noexcept { std::allocator<T>().deallocate(data, n); }

    template <typename U> bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

} // namespace workdeck
