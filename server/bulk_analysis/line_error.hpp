#pragma once

// Why a manifest line produced no result: the `code` and `message` of its entry in the manifest
// summary's "errors". AWS documents the summary's shape but not its codes; the mock's codes
// follow the ERROR_* names Rekognition Custom Labels gives the same faults in its manifest
// summaries, and the README lists them.

#include <optional>
#include <string>
#include <string_view>

namespace rekmock::bulk_analysis {

struct LineError {
    std::string code;
    std::string message;
    // The line's source-ref when it was read, as the summary's optional "source-ref" shows it.
    std::optional<std::string> source_ref;
};

namespace error_code {
inline constexpr const char* kInvalidJsonLine = "ERROR_INVALID_JSON_LINE";
inline constexpr const char* kLineTooLong = "ERROR_JSON_LINE_TOO_LONG";
inline constexpr const char* kMissingSourceRef = "ERROR_MISSING_SOURCE_REF";
inline constexpr const char* kInvalidSourceRef = "ERROR_INVALID_SOURCE_REF_FORMAT";
inline constexpr const char* kNoSuchBucket = "ERROR_NO_SUCH_BUCKET";
inline constexpr const char* kNoSuchKey = "ERROR_NO_SUCH_KEY";
inline constexpr const char* kAccessDenied = "ERROR_ACCESS_DENIED";
inline constexpr const char* kImageUnreadable = "ERROR_IMAGE_UNREADABLE";
inline constexpr const char* kImageTooLarge = "ERROR_IMAGE_TOO_LARGE";
inline constexpr const char* kUnsupportedFormat = "ERROR_UNSUPPORTED_IMAGE_FORMAT";
inline constexpr const char* kInvalidImage = "ERROR_INVALID_IMAGE";
inline constexpr const char* kInvalidDimension = "ERROR_INVALID_IMAGE_DIMENSION";
}  // namespace error_code

}  // namespace rekmock::bulk_analysis
