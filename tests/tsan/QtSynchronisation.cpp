// Linked into the core suites of the tsan preset only (WORKDECK_TSAN): tells ThreadSanitizer
// about the synchronisation that Debian's Qt, built without TSan, does where TSan cannot see it.
//
// QMutex's inline lock() and unlock() carry TSan annotations (qtsan_impl.h), so a QMutex locked
// in our code is a mutex to TSan. But QWaitCondition::wait(QMutex*) unlocks and relocks that
// mutex inside libQt6Core, unannotated: TSan believes the waiter holds the mutex throughout
// ("double lock" when another thread takes it) and misses the happens-before edges of the wait.
// And QThread::wait() on a thread that has already finished returns after a check under Qt's
// own futex-based mutex, invisible as well: the thread's last writes look racy to the waiter.
//
// And QProcess starts its child with vforkfd(): clone(CLONE_VM | CLONE_VFORK), the child running in
// the parent's memory until it execs. The runtime's clone() interceptor treats every clone as a
// fork and runs its fork bookkeeping in the child too, in memory it shares with the parent: clang
// 14's runtime then fails a CHECK in ForkAfter (gcc 12's marks the whole process as forked and
// stops at the next thread start). clone() below hands such a clone straight to the C library,
// as a vfork that ends in exec needs no bookkeeping; any other clone still goes through TSan.
//
// These definitions take the place of libQt6Core's (the executable comes first in symbol lookup),
// annotate what Qt does, and call Qt's own code. They add no synchronisation of their own: a
// race in our code stays a race.
#include <QDeadlineTimer>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <sanitizer/tsan_interface.h>

#include <dlfcn.h>
#include <sched.h>

#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace {

template <typename Function> Function qtCore(const char* symbol)
{
    void* found = dlsym(RTLD_NEXT, symbol);
    if (!found) {
        std::fprintf(stderr, "tsan: %s not found in Qt\n", symbol);
        std::abort();
    }
    return reinterpret_cast<Function>(found);
}

class FinishedRelease : public QObject {
    Q_OBJECT

public:
    static FinishedRelease* instance()
    {
        static auto* const receiver = new FinishedRelease; // lives as long as the process
        return receiver;
    }

public slots:
    void release() { __tsan_release(QThread::currentThread()); }
};

} // namespace

bool QWaitCondition::wait(QMutex* mutex, QDeadlineTimer deadline)
{
    using Wait = bool (*)(QWaitCondition*, QMutex*, QDeadlineTimer);
    static const Wait qtWait = qtCore<Wait>("_ZN14QWaitCondition4waitEP6QMutex14QDeadlineTimer");
    // What Qt does inside: mutex->unlock(), wait, mutex->lock().
    __tsan_mutex_pre_unlock(mutex, 0);
    __tsan_mutex_post_unlock(mutex, 0);
    const bool woken = qtWait(this, mutex, deadline);
    __tsan_mutex_pre_lock(mutex, 0);
    __tsan_mutex_post_lock(mutex, 0, 0);
    return woken;
}

bool QWaitCondition::wait(QMutex* mutex, unsigned long time)
{
    // As Qt's own overload does.
    return wait(mutex, time == ULONG_MAX ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(time));
}

void QThread::start(Priority priority)
{
    using Start = void (*)(QThread*, Priority);
    static const Start qtStart = qtCore<Start>("_ZN7QThread5startENS_8PriorityE");
    // finished() is emitted by the thread itself once run() has returned, before Qt marks it
    // finished for wait(): everything the thread did until then happens before a wait() that
    // returns true. A string connection to a receiver that is never deleted: Qt keeps no slot
    // object of ours that the thread would read while the QThread is being destroyed.
    QObject::connect(this, SIGNAL(finished()), FinishedRelease::instance(), SLOT(release()),
                     Qt::DirectConnection);
    qtStart(this, priority);
}

bool QThread::wait(QDeadlineTimer deadline)
{
    using Wait = bool (*)(QThread*, QDeadlineTimer);
    static const Wait qtWait = qtCore<Wait>("_ZN7QThread4waitE14QDeadlineTimer");
    const bool finished = qtWait(this, deadline);
    if (finished)
        __tsan_acquire(this);
    return finished;
}

// The runtime's own clone() interceptor, which this definition replaces in the executable.
extern "C" int __interceptor_clone(int (*fn)(void*), void* stack, int flags, void* arg, pid_t* parentTid,
                                   void* tls, pid_t* childTid);

extern "C" int clone(int (*fn)(void*), void* stack, int flags, void* arg, ...) noexcept
{
    // glibc reads these three only when flags ask for them; so does the runtime's interceptor.
    va_list rest;
    va_start(rest, arg);
    auto* parentTid = va_arg(rest, pid_t*);
    auto* tls = va_arg(rest, void*);
    auto* childTid = va_arg(rest, pid_t*);
    va_end(rest);
    constexpr int vforkFlags = CLONE_VM | CLONE_VFORK;
    if ((flags & vforkFlags) != vforkFlags)
        return __interceptor_clone(fn, stack, flags, arg, parentTid, tls, childTid);
    using Clone = int (*)(int (*)(void*), void*, int, void*, ...);
    static const Clone libcClone = [] {
        // The C library's own, whether or not the runtime is a shared library ahead of it.
        void* libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
        void* found = libc ? dlsym(libc, "clone") : nullptr;
        if (!found) {
            std::fprintf(stderr, "tsan: clone not found in the C library\n");
            std::abort();
        }
        return reinterpret_cast<Clone>(found);
    }();
    return libcClone(fn, stack, flags, arg, parentTid, tls, childTid);
}

#include "QtSynchronisation.moc"
