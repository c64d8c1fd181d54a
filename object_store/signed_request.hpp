#pragma once

// The one way an HTTP request to an AWS endpoint is built and signed, for the S3 client and the
// AWS API client alike: its headers, SigV4's, the User-Agent, and the body it borrows.

#include <span>
#include <string_view>

#include "s3_connection.hpp"
#include "sigv4_signing.hpp"

namespace rekmock::objects {

// `method` of `path` (and `query`, without '?', when not empty) carrying `headers` (Host
// included) and `body`, whose SHA-256 is `payload_hash`, signed by `signer` now; kept alive.
S3HttpRequest signed_request(const sigv4::Signer& signer, boost::beast::http::verb method,
                             std::string_view path, std::string_view query,
                             std::span<const sigv4::HeaderView> headers,
                             std::string_view payload_hash, std::string_view body);

}  // namespace rekmock::objects
