#include "image_check.hpp"

#include <string>

#include "image_header.hpp"

namespace rekmock::bulk_analysis {
namespace {

// Enough for a PNG's IHDR and nearly every JPEG's frame header (EXIF and ICC segments come
// first and are rarely longer); a longer header is read again whole.
constexpr std::uint64_t kHeaderBytes = 64 * 1024;

bool is_jpeg(std::string_view bytes) {
    return bytes.size() >= 3 && bytes.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3);
}

bool is_png(std::string_view bytes) {
    return bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8);
}

LineError error(std::string_view code, std::string message) {
    return LineError{code, std::move(message), std::nullopt};
}

std::string read_all(objects::ObjectReader& reader) {
    std::string bytes;
    char chunk[16 * 1024];
    while (const std::size_t got = reader.read(chunk, sizeof chunk)) {
        bytes.append(chunk, got);
    }
    return bytes;
}

std::optional<LineError> object_error(const objects::ObjectStoreError& e, ImageCheck mode) {
    switch (e.kind()) {
        case objects::ObjectErrorKind::NoSuchBucket:
            if (mode == ImageCheck::Lenient) {
                return std::nullopt;
            }
            return error(error_code::kNoSuchBucket, e.what());
        case objects::ObjectErrorKind::NoSuchKey:
            if (mode == ImageCheck::Lenient) {
                return std::nullopt;
            }
            return error(error_code::kNoSuchKey, e.what());
        case objects::ObjectErrorKind::AccessDenied:
            return error(error_code::kAccessDenied, e.what());
        case objects::ObjectErrorKind::InvalidRequest:
        case objects::ObjectErrorKind::Unavailable:
            break;
    }
    return error(error_code::kImageUnreadable, e.what());
}

}  // namespace

std::optional<std::optional<LineError>> check_image_bytes(std::string_view header,
                                                          std::uint64_t size) {
    if (size > kMaxImageBytes) {
        return error(error_code::kImageTooLarge, "The image is " + std::to_string(size) +
                                                     " bytes; the limit is " +
                                                     std::to_string(kMaxImageBytes) + ".");
    }
    if (!is_jpeg(header) && !is_png(header)) {
        if (header.size() < 8 && header.size() < size) {
            return std::nullopt;
        }
        return error(error_code::kUnsupportedFormat,
                     "The image is neither a JPEG nor a PNG (judged by its content).");
    }
    const ImageHeader read = read_image_header(header);
    if (read.verdict != ImageHeader::Verdict::Read) {
        if (read.verdict == ImageHeader::Verdict::NeedMore && header.size() < size) {
            return std::nullopt;
        }
        return error(
            error_code::kInvalidImage,
            std::string("The ") + (is_png(header) ? "PNG" : "JPEG") + " header cannot be read.");
    }
    const std::uint32_t width = read.width;
    const std::uint32_t height = read.height;
    if (width < kMinImageSide || height < kMinImageSide || width > kMaxImageSide ||
        height > kMaxImageSide) {
        return error(error_code::kInvalidDimension,
                     "The image is " + std::to_string(width) + "x" + std::to_string(height) +
                         " pixels; each side must be from " + std::to_string(kMinImageSide) +
                         " to " + std::to_string(kMaxImageSide) + ".");
    }
    return std::optional<LineError>();
}

std::optional<LineError> check_image(objects::ObjectStore& store, const objects::ObjectRef& image,
                                     ImageCheck mode) {
    try {
        std::optional<objects::ObjectStoreError> missing;
        auto reader = store.open_if_exists(image, kHeaderBytes, missing);
        if (!reader) {
            return object_error(*missing, mode);
        }
        if (auto verdict = check_image_bytes(read_all(*reader), reader->size())) {
            return *verdict;
        }
        // The frame header lies past the first read: read the whole image (at most 15 MB).
        reader = store.open(image, std::nullopt);
        return check_image_bytes(read_all(*reader), reader->size())
            .value_or(error(error_code::kInvalidImage, "The image header cannot be read."));
    } catch (const objects::ObjectStoreError& e) {
        return object_error(e, mode);
    }
}

}  // namespace rekmock::bulk_analysis
