#include "whole_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "file_descriptor.hpp"

namespace rekmock::objects {

void write_whole_file(const std::filesystem::path& path, std::string_view text) {
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
    std::string temporary = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
    FileDescriptor fd(::mkstemp(temporary.data()));
    if (fd.get() < 0) {
        throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
    }
    int error = 0;
    while (!text.empty() && error == 0) {
        const ssize_t wrote = ::write(fd.get(), text.data(), text.size());
        if (wrote >= 0) {
            text.remove_prefix(static_cast<std::size_t>(wrote));
        } else if (errno != EINTR) {
            error = errno;
        }
    }
    // mkstemp makes it 0600: what is written here is no secret.
    if (error == 0 && (::fchmod(fd.get(), 0644) != 0 || ::fsync(fd.get()) != 0 || fd.close() != 0 ||
                       ::rename(temporary.c_str(), path.c_str()) != 0)) {
        error = errno;
    }
    if (error != 0) {
        ::unlink(temporary.c_str());
        throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(error));
    }
}

}  // namespace rekmock::objects
