#include "image_check.hpp"

#include <string>

#include "image_header.hpp"

namespace rekmock::bulk_analysis {
namespace {

// Enough for a PNG's IHDR and nearly every JPEG's frame header (EXIF and ICC segments come
// first and are rarely longer); a longer header is read again whole.
constexpr std::uint64_t kHeaderBytes = 64 * 1024;

LineError error(std::string_view code, std::string message) {
    return LineError{std::string(code), std::move(message), std::nullopt};
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

ImageVerdict check_image_bytes(std::string_view header, std::uint64_t size) {
    if (size > kMaxImageBytes) {
        return {error(error_code::kImageTooLarge, "The image is " + std::to_string(size) +
                                                      " bytes; the limit is " +
                                                      std::to_string(kMaxImageBytes) + ".")};
    }
    const ImageHeader read = read_image_header(header);
    switch (read.verdict) {
        case ImageHeader::Verdict::Read:
            break;
        case ImageHeader::Verdict::Neither:
            if (header.size() < 8 && header.size() < size) {
                return {.error = std::nullopt,
                        .undecided = true};  // too short to tell: a PNG signature is 8 bytes
            }
            return {error(error_code::kUnsupportedFormat,
                          "The image is neither a JPEG nor a PNG (judged by its content).")};
        case ImageHeader::Verdict::NeedMore:
            if (header.size() < size) {
                return {.error = std::nullopt, .undecided = true};
            }
            [[fallthrough]];
        case ImageHeader::Verdict::Invalid:
            return {error(error_code::kInvalidImage,
                          std::string("The ") + (read.format == ImageFormat::Png ? "PNG" : "JPEG") +
                              " header cannot be read.")};
    }
    const std::uint32_t width = read.width;
    const std::uint32_t height = read.height;
    if (width < kMinImageSide || height < kMinImageSide || width > kMaxImageSide ||
        height > kMaxImageSide) {
        return {error(error_code::kInvalidDimension,
                      "The image is " + std::to_string(width) + "x" + std::to_string(height) +
                          " pixels; each side must be from " + std::to_string(kMinImageSide) +
                          " to " + std::to_string(kMaxImageSide) + ".")};
    }
    return {};
}

std::optional<LineError> check_image(objects::ObjectStore& store, const objects::ObjectRef& image,
                                     ImageCheck mode) {
    try {
        std::optional<objects::ObjectStoreError> missing;
        auto reader = store.open_if_exists(image, kHeaderBytes, missing);
        if (!reader) {
            return object_error(*missing, mode);
        }
        auto verdict = check_image_bytes(reader->read_all(), reader->size());
        if (verdict.undecided) {
            // The frame header lies past the first read: read the whole image (at most 15 MB).
            reader = store.open(image, std::nullopt);
            verdict = check_image_bytes(reader->read_all(), reader->size());
        }
        return verdict.undecided
                   ? error(error_code::kInvalidImage, "The image header cannot be read.")
                   : verdict.error;
    } catch (const objects::ObjectStoreError& e) {
        return object_error(e, mode);
    }
}

}  // namespace rekmock::bulk_analysis
