#include "open_beneath.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>

#if defined(SYS_openat2)
#include <linux/openat2.h>
#endif

namespace rekmock::objects {
namespace {

// Set once openat2 answered ENOSYS: the kernel will not grow it while the process runs.
std::atomic<bool> kernel_lacks_openat2{false};

// Closes a descriptor it owns, keeping errno as the failure that made it give up.
void close_keeping_errno(int fd) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
}

// -1 with errno ELOOP when `fd` is a symbolic link (an O_PATH | O_NOFOLLOW open gives one
// instead of refusing it), ENOTDIR when `want_folder` and it is not a folder; else `fd`.
int checked(int fd, bool want_folder) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        close_keeping_errno(fd);
        return -1;
    }
    if (S_ISLNK(info.st_mode) || (want_folder && !S_ISDIR(info.st_mode))) {
        ::close(fd);
        errno = S_ISLNK(info.st_mode) ? ELOOP : ENOTDIR;
        return -1;
    }
    return fd;
}

int walk(int dirfd, std::string_view relative, int flags, mode_t mode) {
    int current = dirfd;  // owned from the second segment on
    const auto release = [&] {
        if (current != dirfd) {
            close_keeping_errno(current);
        }
    };
    for (std::size_t slash = relative.find('/'); slash != std::string_view::npos;
         slash = relative.find('/')) {
        const std::string segment(relative.substr(0, slash));
        relative.remove_prefix(slash + 1);
        int next = ::openat(current, segment.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (next >= 0) {
            next = checked(next, true);
        }
        release();
        if (next < 0) {
            return -1;
        }
        current = next;
    }
    // O_PATH | O_NOFOLLOW opens a link itself rather than refusing it, and O_DIRECTORY would
    // call a link ENOTDIR: both are told apart after the open.
    const bool path_only = (flags & O_PATH) != 0;
    int fd = ::openat(current, std::string(relative).c_str(),
                      (path_only ? flags & ~O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0 && path_only) {
        fd = checked(fd, (flags & O_DIRECTORY) != 0);
    }
    release();
    return fd;
}

}  // namespace

int open_beneath(int dirfd, std::string_view relative, int flags, mode_t mode,
                 BeneathResolution how) {
#if defined(SYS_openat2)
    if (how == BeneathResolution::Kernel && !kernel_lacks_openat2.load(std::memory_order_relaxed)) {
        open_how request{};
        request.flags = static_cast<unsigned>(flags | O_CLOEXEC);
        // openat2 refuses a mode that open(2) would ignore; O_TMPFILE includes O_DIRECTORY's bit.
        const bool creates = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
        request.mode = creates ? mode : 0;
        request.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
        const std::string path(relative);
        // EAGAIN: a rename or mount raced the lookup, which the kernel asks callers to retry.
        for (int attempt = 0; attempt < 8; ++attempt) {
            const long fd = ::syscall(SYS_openat2, dirfd, path.c_str(), &request, sizeof request);
            if (fd >= 0) {
                return static_cast<int>(fd);
            }
            if (errno != EAGAIN) {
                break;
            }
        }
        if (errno == ENOSYS) {
            kernel_lacks_openat2.store(true, std::memory_order_relaxed);
        }
        // A seccomp filter that does not know openat2 answers EPERM: the walk says whether the
        // path itself is refused.
        if (errno != ENOSYS && errno != EPERM) {
            return -1;
        }
    }
#else
    static_cast<void>(how);
#endif
    return walk(dirfd, relative, flags, mode);
}

}  // namespace rekmock::objects
