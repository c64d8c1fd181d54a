#pragma once

// One owned POSIX file descriptor, closed when its owner goes.

#include <unistd.h>

#include <utility>

namespace rekmock::objects {

class FileDescriptor {
  public:
    // Owns `fd`; a negative one (a failed open) owns nothing.
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        if (this != &other) {
            if (fd_ >= 0) {
                ::close(fd_);
            }
            fd_ = other.release();
        }
        return *this;
    }
    // The descriptor, or a negative number when none is owned.
    int get() const noexcept { return fd_; }
    // Gives up ownership.
    int release() noexcept { return std::exchange(fd_, -1); }
    // Closes now, reporting the error a deferred write may only show here.
    int close() noexcept {
        const int result = ::close(fd_);
        fd_ = -1;
        return result;
    }

  private:
    int fd_;
};

}  // namespace rekmock::objects
