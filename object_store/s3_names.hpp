#pragma once

// What an S3 request may name, and how it names it on the wire: bucket names that some S3
// server could hold, and keys as a path that no server or proxy on the way can reinterpret.

#include <optional>
#include <string>
#include <string_view>

namespace rekmock::objects {

// Why no S3 bucket can be named `bucket`, by the rules today's names and us-east-1's legacy ones
// share (3 to 255 of A-Z a-z 0-9 . - _); std::nullopt when one can.
std::optional<std::string> bucket_name_problem(std::string_view bucket);

// `key` as a request path (after "/bucket/"): every byte but A-Z a-z 0-9 - . _ ~ and '/'
// percent-encoded, and so are the dots of a segment that is "." or "..".
std::string key_path(std::string_view key);

}  // namespace rekmock::objects
