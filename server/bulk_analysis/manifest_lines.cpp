#include "manifest_lines.hpp"

namespace rekmock::bulk_analysis {
namespace {
constexpr std::size_t kChunk = 64 * 1024;
}

ManifestLines::ManifestLines(objects::ObjectReader& reader, std::size_t max_line_bytes)
    : reader_(reader), max_line_bytes_(max_line_bytes) {}

bool ManifestLines::fill() {
    if (at_end_) {
        return false;
    }
    // Drop the lines already handed out, so the buffer holds at most one line and one chunk.
    buffer_.erase(0, start_);
    start_ = 0;
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + kChunk);
    const std::size_t got = reader_.read(buffer_.data() + old_size, kChunk);
    buffer_.resize(old_size + got);
    at_end_ = got == 0;
    return got != 0;
}

std::optional<ManifestLine> ManifestLines::next() {
    bool too_long = false;
    std::size_t scanned = start_;
    for (;;) {
        const std::size_t newline = buffer_.find('\n', scanned);
        if (newline != std::string::npos) {
            std::string_view text(buffer_.data() + start_, newline - start_);
            start_ = newline + 1;
            if (!text.empty() && text.back() == '\r') {
                text.remove_suffix(1);
            }
            too_long = too_long || text.size() > max_line_bytes_;
            return ManifestLine{++number_, too_long ? std::string_view() : text, too_long};
        }
        if (buffer_.size() - start_ > max_line_bytes_ + 1) {
            // Keep nothing of an overlong line: only whether it ended.
            too_long = true;
            buffer_.erase(start_);
        }
        scanned = buffer_.size();
        const std::size_t offset = scanned - start_;
        if (!fill()) {
            if (buffer_.size() == start_ && !too_long) {
                return std::nullopt;  // the object ended at a line's end (or was empty)
            }
            std::string_view text(buffer_.data() + start_, buffer_.size() - start_);
            start_ = buffer_.size();
            if (!text.empty() && text.back() == '\r') {
                text.remove_suffix(1);
            }
            too_long = too_long || text.size() > max_line_bytes_;
            return ManifestLine{++number_, too_long ? std::string_view() : text, too_long};
        }
        scanned = start_ + offset;  // fill() moved the line to the front
    }
}

}  // namespace rekmock::bulk_analysis
