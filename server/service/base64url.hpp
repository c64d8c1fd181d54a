#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rekmock::service {

// RFC 4648 section 5 alphabet, no padding: tokens travel in JSON without escaping.
std::string base64url_encode(const std::vector<unsigned char>& bytes);

// Strict inverse of base64url_encode: any other spelling of the same bytes (padding, stray
// characters, non-zero trailing bits) is rejected, so each token has exactly one valid form.
std::optional<std::vector<unsigned char>> base64url_decode(std::string_view text);

}  // namespace rekmock::service
