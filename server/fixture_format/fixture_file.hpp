#pragma once

// A fixture file's bytes. A file up to kReadLimit is read into memory, so a file edited, even
// truncated, while a reset reads it cannot harm the reader: it sees the old text or the new one.
// A larger one (a million jobs is 580 MB) is mapped rather than copied, which is only safe while
// it is not rewritten in place: replace such a file (write a new one, rename it over the old).

#include <cstddef>
#include <string>
#include <string_view>

namespace rekmock::fixtures {

class FixtureFile {
  public:
    static constexpr std::size_t kReadLimit = std::size_t{64} << 20;

    // The regular file at `path`; throws std::runtime_error saying why it cannot be had (missing,
    // not a regular file, out of descriptors...). Never blocks: a FIFO is refused, not opened.
    static FixtureFile open(const std::string& path);
    ~FixtureFile();
    FixtureFile(FixtureFile&& other) noexcept;
    FixtureFile& operator=(FixtureFile&&) = delete;
    FixtureFile(const FixtureFile&) = delete;
    FixtureFile& operator=(const FixtureFile&) = delete;

    std::string_view text() const noexcept { return text_; }

  private:
    FixtureFile() = default;
    void* mapping_ = nullptr;  // owned when not null
    std::size_t mapped_size_ = 0;
    std::string read_;  // the bytes when not mapped
    std::string_view text_;
};

}  // namespace rekmock::fixtures
