#include "spool_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace rekmock::bulk_analysis {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

// A file with no name in `folder`, or -1 with errno set.
int open_unnamed(const std::filesystem::path& folder) {
    const int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    // Filesystems without O_TMPFILE answer EOPNOTSUPP (or EISDIR on kernels before it).
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) {
        return fd;
    }
    std::string name = (folder / ".rekmock-spool-XXXXXX").string();
    const int named = ::mkostemp(name.data(), O_CLOEXEC);
    if (named >= 0) {
        ::unlink(name.c_str());
    }
    return named;
}

}  // namespace

SpoolFile::SpoolFile(const std::filesystem::path& folder)
    : folder_(folder), fd_(open_unnamed(folder_)) {
    if (fd_.get() < 0) {
        fail("cannot create a temporary file in", errno);
    }
    buffer_.reserve(kChunk);
}

void SpoolFile::append(std::string_view bytes) {
    if (buffer_.size() + bytes.size() > kChunk) {
        flush();
    }
    if (bytes.size() >= kChunk) {
        write_all(bytes);  // a long error, never copied into the buffer
    } else {
        buffer_ += bytes;
    }
    size_ += bytes.size();
}

void SpoolFile::flush() {
    write_all(buffer_);
    buffer_.clear();
}

void SpoolFile::write_all(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t wrote = ::write(fd_.get(), bytes.data(), bytes.size());
        if (wrote < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot write a temporary file in", errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(wrote));
    }
}

void SpoolFile::read_back(const std::function<void(std::string_view)>& sink) {
    flush();
    std::string chunk(kChunk, '\0');
    for (std::uint64_t at = 0; at < size_;) {
        const ssize_t got = ::pread(fd_.get(), chunk.data(), chunk.size(), static_cast<off_t>(at));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            fail("cannot read back a temporary file in", got < 0 ? errno : EIO);
        }
        sink(std::string_view(chunk.data(), static_cast<std::size_t>(got)));
        at += static_cast<std::uint64_t>(got);
    }
}

void SpoolFile::fail(const std::string& what, int error) const {
    throw std::runtime_error(what + " " + folder_.string() + ": " +
                             std::generic_category().message(error));
}

}  // namespace rekmock::bulk_analysis
