#pragma once

// An unnamed temporary file a job's work appends to and then reads back from its start: where the
// manifest summary keeps its errors until it is written, so that a manifest of a million invalid
// lines costs disk rather than memory. Opened with O_TMPFILE (or under a name unlinked at once
// where the filesystem lacks it), so it is gone when closed, and when the process dies, however
// it dies: nothing is ever left to clean up.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "file_descriptor.hpp"

namespace rekmock::bulk_analysis {

class SpoolFile {
  public:
    // Opens one in `folder`; std::runtime_error naming the folder when it cannot.
    explicit SpoolFile(const std::filesystem::path& folder);
    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;

    // Appends `bytes` (buffered: at most 64 KiB in memory); std::runtime_error when the disk
    // refuses them.
    void append(std::string_view bytes);
    // How many bytes were appended.
    std::uint64_t size() const noexcept { return size_; }
    // Calls `sink` with every byte appended so far, in order, at most 64 KiB a call;
    // std::runtime_error when the file cannot be read.
    void read_back(const std::function<void(std::string_view)>& sink);

  private:
    void flush();
    void write_all(std::string_view bytes);
    [[noreturn]] void fail(const std::string& what, int error) const;

    std::filesystem::path folder_;
    objects::FileDescriptor fd_;
    std::string buffer_;
    std::uint64_t size_ = 0;
};

}  // namespace rekmock::bulk_analysis
