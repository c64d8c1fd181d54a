#include "fixture_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace rekmock::fixtures {
namespace {

// Closes a descriptor on every path out.
struct Descriptor {
    int fd;
    ~Descriptor() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

// Mapped pages are handed back in steps this large: one madvise per step, and the window the
// reader keeps mapped stays a few megabytes.
constexpr std::size_t kReleaseStep = std::size_t{8} << 20;

[[noreturn]] void fail_errno() {
    throw std::runtime_error(std::strerror(errno));
}

}  // namespace

FixtureFile FixtureFile::open(const std::string& path) {
    // Non-blocking, so that a FIFO without a writer cannot stall the open.
    const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
    struct stat info {};
    if (file.fd < 0 || ::fstat(file.fd, &info) != 0) {
        fail_errno();
    }
    if (!S_ISREG(info.st_mode)) {
        throw std::runtime_error("not a regular file");
    }
    FixtureFile opened;
    const auto size = static_cast<std::size_t>(info.st_size);
    if (size > kReadLimit) {
        void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.fd, 0);
        if (address == MAP_FAILED) {
            fail_errno();
        }
        ::madvise(address, size, MADV_SEQUENTIAL);  // read once, front to back
        opened.mapping_ = address;
        opened.mapped_size_ = size;
        opened.text_ = std::string_view(static_cast<const char*>(address), size);
        return opened;
    }
    // To its end, whatever the size said: the file may change while it is read.
    opened.read_.resize(size + 1);
    std::size_t filled = 0;
    for (;;) {
        if (filled == opened.read_.size()) {
            opened.read_.resize(opened.read_.size() * 2);
        }
        const ssize_t n =
            ::read(file.fd, opened.read_.data() + filled, opened.read_.size() - filled);
        if (n < 0 && errno != EINTR) {
            fail_errno();
        }
        if (n == 0) {
            break;
        }
        filled += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    opened.read_.resize(filled);
    opened.text_ = opened.read_;
    return opened;
}

void FixtureFile::release_before(std::size_t offset) noexcept {
    if (mapping_ == nullptr || offset < released_ + kReleaseStep) {
        return;
    }
    // Whole steps only: a step is a multiple of any page size, and the mapping starts on a page.
    const std::size_t end = std::min(offset, mapped_size_) / kReleaseStep * kReleaseStep;
    // The mapping is private and read-only, so its pages hold nothing the file does not:
    // dropping them loses nothing, and only the resident set shrinks.
    ::madvise(static_cast<char*>(mapping_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
}

FixtureFile::FixtureFile(FixtureFile&& other) noexcept
    : mapping_(other.mapping_),
      mapped_size_(other.mapped_size_),
      released_(other.released_),
      read_(std::move(other.read_)),
      text_(mapping_ != nullptr ? other.text_ : std::string_view(read_)) {
    other.mapping_ = nullptr;
    other.text_ = {};
}

FixtureFile::~FixtureFile() {
    if (mapping_ != nullptr) {
        ::munmap(mapping_, mapped_size_);
    }
}

}  // namespace rekmock::fixtures
