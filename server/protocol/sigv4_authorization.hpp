#pragma once

// The Authorization header of a SigV4-signed request, parsed once and strictly, so that the
// signature check and the caller's scope read the same credential: "AWS4-HMAC-SHA256
// Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=<a;b>, Signature=<hex>",
// each parameter exactly once, in any order, separated by commas and optional spaces.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigv4_signing.hpp"

namespace rekmock::protocol {

inline constexpr std::string_view kSigV4Algorithm = sigv4::kAlgorithm;

struct SigV4Authorization {
    std::string access_key_id;
    std::string date;  // YYYYMMDD
    std::string region;
    std::string service;
    std::vector<std::string> signed_headers;  // as listed (lower-case names)
    std::string signed_headers_text;          // the list as sent, "host;x-amz-date"
    std::string signature;

    // "<date>/<region>/<service>/aws4_request", the credential scope that is signed.
    std::string credential_scope() const;
};

// The header's parts; std::nullopt unless it is exactly one well-formed SigV4 authorization.
std::optional<SigV4Authorization> parse_sigv4_authorization(std::string_view header);

}  // namespace rekmock::protocol
