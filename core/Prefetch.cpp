#include "Prefetch.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace workdeck::detail {

namespace {

bool processorHasPrefetchW()
{
#if defined(__x86_64__)
    unsigned eax = 0;
    unsigned ebx = 0;
    unsigned ecx = 0;
    unsigned edx = 0;
    return __get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) != 0 && (ecx & bit_PRFCHW) != 0;
#else
    return false;
#endif
}

} // namespace

const bool canPrefetchForWriting = processorHasPrefetchW();

} // namespace workdeck::detail
