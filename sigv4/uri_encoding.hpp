#pragma once

// Percent-encoding as SigV4 and S3 paths need it (RFC 3986): the one encoder and the one strict
// decoder of the code base.

#include <optional>
#include <string>
#include <string_view>

namespace rekmock::sigv4 {

// Every byte but A-Z a-z 0-9 - . _ ~ (and '/' when `keep_slash`) as %XY, upper-case hex.
std::string uri_encode(std::string_view text, bool keep_slash);

// `text` with each %XY replaced by its byte; std::nullopt when a '%' is not followed by two hex
// digits. '+' stays '+': form decoding is the caller's choice.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace rekmock::sigv4
