#pragma once

// The format and dimensions of a JPEG or PNG from its first bytes, read by walking only the
// structure that carries them: the PNG signature and IHDR chunk; the JPEG markers up to the
// frame header (SOFn), each segment skipped by its length, nothing inside one decoded. Built
// instead of using stb_image's header reader, which decodes Huffman tables on the way and
// writes past its arrays on hostile tables (found by fuzz_bulk_analysis; the input is in
// tests/fuzz/regressions/fuzz_bulk_analysis).

#include <cstdint>
#include <string_view>

namespace rekmock::bulk_analysis {

enum class ImageFormat { Jpeg, Png };

struct ImageHeader {
    enum class Verdict {
        Read,      // format, width and height hold the header's values
        NeedMore,  // the header goes on past the bytes given (format is known)
        Invalid,   // a JPEG or PNG signature (format) without a readable header
        Neither,   // no JPEG or PNG signature
    };
    Verdict verdict = Verdict::Invalid;
    ImageFormat format = ImageFormat::Jpeg;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

// The header in `bytes`, the first bytes of an object: the format is judged by its content.
ImageHeader read_image_header(std::string_view bytes);

}  // namespace rekmock::bulk_analysis
