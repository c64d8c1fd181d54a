#include "sigv4_verifier.hpp"

#include <algorithm>
#include <vector>

#include "digest.hpp"
#include "protocol_error.hpp"
#include "sigv4_signing.hpp"

namespace rekmock::protocol {
namespace {

constexpr auto kMaxSkew = std::chrono::minutes(15);

[[noreturn]] void reject(ProtocolErrorKind kind, const std::string& message) {
    throw ProtocolError(kind, message);
}

}  // namespace

void SigV4Verifier::verify(const net::HttpRequest& request,
                           const std::optional<SigV4Authorization>& parsed,
                           std::chrono::system_clock::time_point now) const {
    const std::string_view authorization = request[boost::beast::http::field::authorization];
    if (authorization.empty()) {
        reject(ProtocolErrorKind::MissingAuthenticationToken, "Missing Authentication Token");
    }
    if (!authorization.starts_with(kSigV4Algorithm) ||
        authorization.substr(kSigV4Algorithm.size(), 1) != " ") {
        reject(ProtocolErrorKind::IncompleteSignature,
               "Authorization header requires the AWS4-HMAC-SHA256 algorithm");
    }
    if (!parsed) {
        reject(ProtocolErrorKind::IncompleteSignature,
               "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
               "parameters, each once, with a credential scope of the form "
               "<key>/<date>/<region>/<service>/aws4_request.");
    }
    const SigV4Authorization& auth = *parsed;
    if (std::find(auth.signed_headers.begin(), auth.signed_headers.end(), "host") ==
        auth.signed_headers.end()) {
        reject(ProtocolErrorKind::IncompleteSignature,
               "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (service_ && auth.service != *service_) {
        reject(ProtocolErrorKind::InvalidSignature,
               "Credential should be scoped to correct service: '" + *service_ + "'.");
    }
    const auto secret = secrets_.find(auth.access_key_id);
    if (secret == secrets_.end()) {
        reject(ProtocolErrorKind::UnrecognizedClient,
               "The security token included in the request is invalid.");
    }

    std::string amz_date(request["X-Amz-Date"]);
    const auto signed_at = sigv4::parse_amz_date(amz_date);
    if (!signed_at || amz_date.substr(0, 8) != auth.date) {
        reject(ProtocolErrorKind::IncompleteSignature,
               "Date in Credential scope does not match YYYYMMDD from X-Amz-Date.");
    }
    const auto now_ms = std::chrono::time_point_cast<std::chrono::milliseconds>(now);
    if (*signed_at < now_ms - kMaxSkew || *signed_at > now_ms + kMaxSkew) {
        reject(ProtocolErrorKind::InvalidSignature,
               "Signature expired: " + amz_date +
                   " is now earlier or later than the allowed 15 minutes from the server time.");
    }

    // A client may state the payload's hash; it must then be the hash of what arrived.
    const std::string body_hash = sigv4::sha256_hex(request.body());
    const std::string_view stated_hash = request["X-Amz-Content-Sha256"];
    if (!stated_hash.empty() && stated_hash != body_hash) {
        reject(ProtocolErrorKind::InvalidSignature,
               "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    // The canonical request over the headers the client says it signed, in its order.
    const std::string_view target = request.target();
    const std::size_t question = target.find('?');
    std::vector<sigv4::HeaderView> headers;
    for (const auto& field : request) {
        headers.emplace_back(field.name_string(), field.value());
    }
    const std::string canonical = sigv4::canonical_request(
        request.method_string(), sigv4::received_canonical_uri(target.substr(0, question)),
        sigv4::canonical_query(question == std::string_view::npos ? std::string_view()
                                                                  : target.substr(question + 1)),
        sigv4::canonical_headers(headers, auth.signed_headers), auth.signed_headers_text,
        body_hash);
    const std::string expected_hex =
        sigv4::signature(sigv4::signing_key(secret->second, auth.date, auth.region, auth.service),
                         sigv4::string_to_sign(amz_date, auth.credential_scope(), canonical));
    if (!crypto::constant_time_equal(expected_hex, auth.signature)) {
        reject(ProtocolErrorKind::InvalidSignature,
               "The request signature we calculated does not match the signature you provided. "
               "Check your AWS Secret Access Key and signing method. Consult the service "
               "documentation for details.");
    }
}

}  // namespace rekmock::protocol
