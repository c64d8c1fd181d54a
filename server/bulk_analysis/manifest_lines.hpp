#pragma once

// The lines of an input manifest (JSON Lines), read from an object in bounded memory. Fixed
// rules (tests rely on them): lines count from 1; a final newline ends the last line and does not
// start another; every other line, blank ones included, is a line; a trailing "\r" is not part
// of its line; a line longer than the limit is reported as such, not kept.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "object_store.hpp"

namespace rekmock::bulk_analysis {

struct ManifestLine {
    std::uint64_t number = 0;  // from 1
    std::string_view text;     // valid until the next call of next(); empty when too_long
    bool too_long = false;
};

class ManifestLines {
  public:
    // Reads `reader` to its end; lines over `max_line_bytes` are reported too_long.
    ManifestLines(objects::ObjectReader& reader, std::size_t max_line_bytes);
    // The next line; std::nullopt after the last. Throws ObjectStoreError when reading fails.
    std::optional<ManifestLine> next();

  private:
    // Appends the next chunk of the object to buffer_; false at its end.
    bool fill();
    objects::ObjectReader& reader_;
    std::size_t max_line_bytes_;
    std::string buffer_;
    std::size_t start_ = 0;  // where the next line begins in buffer_
    std::uint64_t number_ = 0;
    bool at_end_ = false;
};

}  // namespace rekmock::bulk_analysis
