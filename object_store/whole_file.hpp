#pragma once

// A small file written whole or not at all: a temporary file beside it, flushed to the disk and
// renamed over it, so a reader (or a crash) sees the old text or the new, never part of one.

#include <filesystem>
#include <string_view>

namespace rekmock::objects {

// Replaces `path` with `text` (mode 0644). Throws std::runtime_error naming `path` and the
// system's reason; no temporary file is left then.
void write_whole_file(const std::filesystem::path& path, std::string_view text);

}  // namespace rekmock::objects
