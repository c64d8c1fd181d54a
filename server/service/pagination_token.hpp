#pragma once

// Opaque, tamper-proof pagination tokens. A token carries a keyset position (the last job a page
// returned), encrypted so that no id or timestamp can be read from it, and authenticated with
// HMAC-SHA256 over the position and a context string (the operation and the caller's scope), so
// a token is only accepted by the listing that issued it. Keys derive from the store's secret,
// so tokens from a file-backed store survive a restart.
//
// Layout (base64url, no padding): version (1 byte) | tag (32 bytes) | AES-256-CTR ciphertext.
// tag = HMAC(mac_key, version | context | plaintext); the IV is tag[0..16) (the SIV
// construction), so the same position always yields the same token.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aes256_ctr.hpp"
#include "digest.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::service {

// Tokens longer than this are rejected before any decoding (the model's ExtendedPaginationToken).
inline constexpr std::size_t kMaxPaginationTokenLength = 1024;

class PaginationTokenCodec {
  public:
    // Derives the encryption and MAC keys from `secret` (any length, at least 16 bytes).
    explicit PaginationTokenCodec(const std::vector<unsigned char>& secret);

    // The token that resumes a listing in `context` right after `cursor`.
    std::string encode(const JobCursor& cursor, std::string_view context) const;

    // The cursor inside `token`, or std::nullopt if it is malformed, truncated, tampered with,
    // issued under another key or for another context.
    std::optional<JobCursor> decode(std::string_view token, std::string_view context) const;

  private:
    crypto::Sha256Digest tag(std::string_view context,
                             const std::vector<unsigned char>& plaintext) const;
    crypto::Aes256Key enc_key_;
    crypto::Sha256Digest mac_key_;
};

}  // namespace rekmock::service
