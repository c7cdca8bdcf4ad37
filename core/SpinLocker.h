#pragma once

#include <QMutex>

namespace workdeck {

/// Locks a mutex that is held for microseconds at a time, as the worker pool's is: spinning
/// briefly beats going to sleep in the kernel and paying for the wake-up, and a thread that
/// sleeps misses its turn when the holder takes the lock again soon after letting go.
class SpinLocker {
public:
    explicit SpinLocker(QMutex& mutex)
        : m_mutex(mutex)
    {
        for (int spin = 0; spin < 2000; ++spin) {
            if (m_mutex.tryLock())
                return;
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
        m_mutex.lock();
    }
    ~SpinLocker()
    {
        m_mutex.unlock();
    }
    SpinLocker(const SpinLocker&) = delete;
    SpinLocker& operator=(const SpinLocker&) = delete;

private:
    QMutex& m_mutex;
};

} // namespace workdeck
