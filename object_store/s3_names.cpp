#include "s3_names.hpp"

#include "uri_encoding.hpp"

namespace rekmock::objects {

namespace {

constexpr std::size_t kMinBucketName = 3;
constexpr std::size_t kMaxBucketName = 255;  // legacy us-east-1 names; today's stop at 63

bool bucket_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
}

}  // namespace

std::optional<std::string> bucket_name_problem(std::string_view bucket) {
    // "." and ".." are too short: no bucket name is a dot segment.
    if (bucket.size() < kMinBucketName || bucket.size() > kMaxBucketName) {
        return "a bucket name is 3 to 255 characters long, not " + std::to_string(bucket.size());
    }
    for (const char c : bucket) {
        if (!bucket_character(c)) {
            return "a bucket name has only letters, digits, '.', '-' and '_'";
        }
    }
    return std::nullopt;
}

std::string key_path(std::string_view key) {
    std::string path;
    path.reserve(key.size());
    for (;;) {
        const std::size_t slash = key.find('/');
        const std::string_view segment = key.substr(0, slash);
        // S3 keys may be "../x", but a server or proxy that removes dot segments from the path
        // (RFC 3986 5.2.4) would read another object, or another bucket. Escaped, the segment is
        // a name: S3 decodes it, the removal passes it by.
        if (segment == "." || segment == "..") {
            for (std::size_t i = 0; i < segment.size(); ++i) {
                path += "%2E";
            }
        } else {
            path += sigv4::uri_encode(segment, false);
        }
        if (slash == std::string_view::npos) {
            return path;
        }
        path += '/';
        key.remove_prefix(slash + 1);
    }
}

}  // namespace rekmock::objects
