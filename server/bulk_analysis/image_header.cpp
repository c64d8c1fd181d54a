#include "image_header.hpp"

namespace rekmock::bulk_analysis {
namespace {

using Verdict = ImageHeader::Verdict;

std::uint32_t big_endian(std::string_view bytes, std::size_t at, std::size_t width) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    }
    return value;
}

ImageHeader verdict(Verdict v, ImageFormat format) {
    ImageHeader header;
    header.verdict = v;
    header.format = format;
    return header;
}

// PNG: the 8-byte signature, then the first chunk, which must be IHDR (13 bytes: width,
// height, ...).
ImageHeader read_png(std::string_view bytes) {
    if (bytes.size() < 24) {
        return verdict(Verdict::NeedMore, ImageFormat::Png);
    }
    if (big_endian(bytes, 8, 4) != 13 || bytes.substr(12, 4) != "IHDR") {
        return verdict(Verdict::Invalid, ImageFormat::Png);
    }
    ImageHeader header{Verdict::Read, ImageFormat::Png, big_endian(bytes, 16, 4),
                       big_endian(bytes, 20, 4)};
    // The PNG specification allows 1 .. 2^31-1 pixels a side.
    if (header.width == 0 || header.height == 0 || header.width > 0x7FFFFFFFu ||
        header.height > 0x7FFFFFFFu) {
        return verdict(Verdict::Invalid, ImageFormat::Png);
    }
    return header;
}

// A frame header marker: SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC).
bool is_frame_marker(unsigned char marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// JPEG (ITU T.81 annex B): SOI, then marker segments up to the frame header. Standalone markers
// (TEM, RSTn, a repeated SOI) have no length; every other segment is skipped by its length.
ImageHeader read_jpeg(std::string_view bytes) {
    std::size_t at = 2;  // after SOI
    for (;;) {
        if (at >= bytes.size()) {
            return verdict(Verdict::NeedMore, ImageFormat::Jpeg);
        }
        if (static_cast<unsigned char>(bytes[at]) != 0xFF) {
            return verdict(Verdict::Invalid, ImageFormat::Jpeg);
        }
        while (at < bytes.size() && static_cast<unsigned char>(bytes[at]) == 0xFF) {
            ++at;  // fill bytes before a marker
        }
        if (at >= bytes.size()) {
            return verdict(Verdict::NeedMore, ImageFormat::Jpeg);
        }
        const auto marker = static_cast<unsigned char>(bytes[at++]);
        if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA || marker == 0x00) {
            return verdict(Verdict::Invalid,
                           ImageFormat::Jpeg);  // the image ended or its scan began with no frame
        }
        if (at + 2 > bytes.size()) {
            return verdict(Verdict::NeedMore, ImageFormat::Jpeg);
        }
        const std::uint32_t length = big_endian(bytes, at, 2);
        if (length < 2) {
            return verdict(Verdict::Invalid, ImageFormat::Jpeg);
        }
        if (is_frame_marker(marker)) {
            // Length, sample precision, number of lines, samples per line.
            if (length < 8) {
                return verdict(Verdict::Invalid, ImageFormat::Jpeg);
            }
            if (at + 7 > bytes.size()) {
                return verdict(Verdict::NeedMore, ImageFormat::Jpeg);
            }
            ImageHeader header{Verdict::Read, ImageFormat::Jpeg, big_endian(bytes, at + 5, 2),
                               big_endian(bytes, at + 3, 2)};
            // A height of 0 is defined later by a DNL marker, which no analysis service reads.
            return header.width == 0 || header.height == 0
                       ? verdict(Verdict::Invalid, ImageFormat::Jpeg)
                       : header;
        }
        at += length;
    }
}

}  // namespace

ImageHeader read_image_header(std::string_view bytes) {
    if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8)) {
        return read_png(bytes);
    }
    if (bytes.size() >= 3 && bytes.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) {
        return read_jpeg(bytes);
    }
    return verdict(Verdict::Neither, ImageFormat::Jpeg);
}

}  // namespace rekmock::bulk_analysis
