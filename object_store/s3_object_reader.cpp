#include "s3_object_reader.hpp"

#include <algorithm>
#include <boost/system/system_error.hpp>

#include "whole_number.hpp"

namespace rekmock::objects {

S3ObjectReader::S3ObjectReader(S3Response response, std::uint64_t size, std::uint64_t limit,
                               std::string target)
    : response_(std::move(response)),
      size_(size),
      remaining_(std::min(size, limit)),
      target_(std::move(target)) {}

std::size_t S3ObjectReader::read(char* out, std::size_t capacity) {
    if (remaining_ == 0 || capacity == 0) {
        return 0;
    }
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining_));
    std::size_t read = 0;
    try {
        read = response_.read(out, wanted);
    } catch (const boost::system::system_error& e) {
        throw ObjectStoreError(ObjectErrorKind::Unavailable,
                               "S3 GetObject " + target_ + ": the download broke: " + e.what());
    }
    // A Content-Range naming more than the body holds: ending here would pass a cut object off
    // as whole.
    if (read == 0) {
        throw ObjectStoreError(ObjectErrorKind::Unavailable,
                               "S3 GetObject " + target_ + ": the answer's body ended " +
                                   std::to_string(remaining_) +
                                   " bytes short of the object's size it declared");
    }
    remaining_ -= read;
    return read;
}

std::optional<std::uint64_t> content_range_size(std::string_view content_range) {
    const std::size_t slash = content_range.rfind('/');
    if (!content_range.starts_with("bytes ") || slash == std::string_view::npos) {
        return std::nullopt;
    }
    return whole_number<std::uint64_t>(content_range.substr(slash + 1));
}

}  // namespace rekmock::objects
