#pragma once

// A fixture file's bytes. A file up to kReadLimit is read into memory, so a file edited, even
// truncated, while a reset reads it cannot harm the reader: it sees the old text or the new one.
// A larger one (a million jobs is 580 MB) is mapped rather than copied, which is only safe while
// it is not rewritten in place: replace such a file (write a new one, rename it over the old).
// The reader hands back what it has passed (release_before), so a mapped file costs the process
// a window of pages rather than its size.

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

    // The reader has passed `offset`: the mapped pages before it leave the process's memory (a
    // later read of them maps them again, from the file). Cheap enough to call after each job.
    void release_before(std::size_t offset) noexcept;

  private:
    FixtureFile() = default;
    void* mapping_ = nullptr;  // owned when not null
    std::size_t mapped_size_ = 0;
    std::size_t released_ = 0;  // mapped bytes before this were handed back
    std::string read_;          // the bytes when not mapped
    std::string_view text_;
};

}  // namespace rekmock::fixtures
