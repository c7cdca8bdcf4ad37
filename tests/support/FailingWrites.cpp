// An LD_PRELOAD library that makes writes to some files fail with EIO, for fault-injection
// tests of the storage layer (a disk that goes bad under a running program).
//
// WORKDECK_FAIL_WRITES_PREFIX: writes to files whose path starts with it can fail.
// WORKDECK_FAIL_WRITES_TRIGGER: a path; while that file exists, those writes fail with EIO.
// Without both variables, or for other files, every call goes straight to libc.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool failing(int fd)
{
    const char* prefix = std::getenv("WORKDECK_FAIL_WRITES_PREFIX");
    const char* trigger = std::getenv("WORKDECK_FAIL_WRITES_TRIGGER");
    if (!prefix || !trigger || !*prefix)
        return false;
    struct stat info {};
    if (stat(trigger, &info) != 0)
        return false;
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t length = readlink(link, target, sizeof target - 1);
    if (length <= 0)
        return false;
    target[length] = '\0';
    return std::strncmp(target, prefix, std::strlen(prefix)) == 0;
}

template <typename F> F next(const char* name)
{
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

} // namespace

extern "C" {

ssize_t write(int fd, const void* buffer, size_t count)
{
    static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    return real(fd, buffer, count);
}

ssize_t pwrite64(int fd, const void* buffer, size_t count, off64_t offset)
{
    static const auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    return real(fd, buffer, count, offset);
}

ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset)
{
    static const auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    return real(fd, buffer, count, offset);
}

int fdatasync(int fd)
{
    static const auto real = next<int (*)(int)>("fdatasync");
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    return real(fd);
}

int fsync(int fd)
{
    static const auto real = next<int (*)(int)>("fsync");
    if (failing(fd)) {
        errno = EIO;
        return -1;
    }
    return real(fd);
}
}
