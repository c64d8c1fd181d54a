#pragma once

// Whether an image can be analysed, as Rekognition's image guidelines put it (developer guide,
// "Guidelines and quotas"): a JPEG or PNG (by content, not name) of at most 15 MB, at least 80
// and at most 10,000 pixels a side. Reads the object's header only (image_header.hpp).

#include <cstdint>
#include <optional>

#include "line_error.hpp"
#include "object_store.hpp"

namespace rekmock::bulk_analysis {

enum class ImageCheck {
    Strict,   // every image must exist and pass, as on AWS
    Lenient,  // an image that does not exist passes (for users who only have a manifest)
};

inline constexpr std::uint64_t kMaxImageBytes = 15 * 1024 * 1024;
inline constexpr std::uint32_t kMinImageSide = 80;
inline constexpr std::uint32_t kMaxImageSide = 10000;

// Why `image` cannot be analysed, or std::nullopt when it can.
std::optional<LineError> check_image(objects::ObjectStore& store, const objects::ObjectRef& image,
                                     ImageCheck mode);

// What the bytes at hand say of an image.
struct ImageVerdict {
    std::optional<LineError> error;  // why it cannot be analysed; std::nullopt when it can
    bool undecided = false;          // the bytes are too few to tell, and more of it exists
};

// The verdict on the first `header` bytes of an object of `size` bytes (all of it when equal).
ImageVerdict check_image_bytes(std::string_view header, std::uint64_t size);

}  // namespace rekmock::bulk_analysis
