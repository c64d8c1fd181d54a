#pragma once

// SHA-256 and HMAC-SHA256 of byte strings, and the comparison of secrets that takes the same time
// wherever they differ.

#include <array>
#include <string_view>

namespace rekmock::crypto {

using Sha256Digest = std::array<unsigned char, 32>;

// The SHA-256 of `data`.
Sha256Digest sha256(std::string_view data) noexcept;
// The HMAC-SHA256 of `data` under `key`.
Sha256Digest hmac_sha256(std::string_view key, std::string_view data) noexcept;
// Whether `a` and `b` are equal, in a time that depends on their sizes only (for MACs).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace rekmock::crypto
