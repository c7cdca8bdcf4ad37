#include "BackgroundPriority.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace workdeck {

void lowerCurrentThreadPriority()
{
#ifdef Q_OS_LINUX
    // On Linux a nice value belongs to a thread, named by its kernel thread id.
    constexpr int BackgroundNice = 10;
    const auto thread = static_cast<id_t>(::syscall(SYS_gettid));
    if (::getpriority(PRIO_PROCESS, thread) < BackgroundNice)
        ::setpriority(PRIO_PROCESS, thread, BackgroundNice);
#endif
}

} // namespace workdeck
