#include "temporary_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <random>
#include <system_error>

namespace rekmock::objects {
namespace {

std::string slot_name(int slot, const std::string& name) {
    return ".rekmock-tmp-" + std::to_string(slot) + "-" + name;
}

[[noreturn]] void throw_errno(int error) {
    throw std::system_error(error, std::generic_category());
}

// Whether the locked `fd` is still the file `slot` names in `folder`: another writer may have
// found it unlocked and removed it between its creation and the lock.
bool still_named(int folder, const std::string& slot, int fd) {
    struct stat held {};
    struct stat named {};
    return ::fstat(fd, &held) == 0 && held.st_nlink > 0 &&
           ::fstatat(folder, slot.c_str(), &named, AT_SYMLINK_NOFOLLOW) == 0 &&
           held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

// Removes `slot` if no live writer holds it; a slot that cannot be opened is left alone.
void remove_if_dead(int folder, const std::string& slot) {
    const FileDescriptor fd(
        ::openat(folder, slot.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() >= 0 && ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0 &&
        still_named(folder, slot, fd.get())) {
        ::unlinkat(folder, slot.c_str(), 0);
    }
}

// The writer's own file under a name nobody else will pick, for filesystems without flock.
TemporaryFile unlocked_temporary(int folder, const std::string& name) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    std::string unique = ".rekmock-tmp-r" + std::to_string(random()) + "-" + name;
    FileDescriptor fd(::openat(folder, unique.c_str(),
                               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.get() < 0) {
        throw_errno(errno);
    }
    return TemporaryFile{std::move(fd), std::move(unique)};
}

}  // namespace

TemporaryFile claim_temporary(int folder, const std::string& name) {
    int error = EAGAIN;
    for (int slot = 0; slot < kTemporarySlots; ++slot) {
        const std::string candidate = slot_name(slot, name);
        // A slot removed under us by a writer that found it unlocked is tried again.
        for (int attempt = 0; attempt < 3; ++attempt) {
            FileDescriptor fd(::openat(folder, candidate.c_str(),
                                       O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
            if (fd.get() < 0) {
                error = errno;  // a slot someone else's file or link holds: the next one
                break;
            }
            if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
                if (errno == EWOULDBLOCK) {
                    break;  // a live writer's
                }
                return unlocked_temporary(folder, name);
            }
            if (!still_named(folder, candidate, fd.get())) {
                continue;
            }
            if (::ftruncate(fd.get(), 0) != 0) {
                throw_errno(errno);
            }
            for (int other = 0; other < kTemporarySlots; ++other) {
                if (other != slot) {
                    remove_if_dead(folder, slot_name(other, name));
                }
            }
            return TemporaryFile{std::move(fd), candidate};
        }
    }
    throw_errno(error);
}

}  // namespace rekmock::objects
