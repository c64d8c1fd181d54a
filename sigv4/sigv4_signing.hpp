#pragma once

// AWS Signature Version 4 with the Authorization header: the canonical request, the string to
// sign, the signing key chain and the signature, as "Create a signed AWS API request" (IAM User
// Guide) spells them. The mock's request verifier and its S3 client both sign through these
// functions, so each canonicalisation rule is written once.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rekmock::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// A header as given: name in any case, value untrimmed.
using HeaderView = std::pair<std::string_view, std::string_view>;

// Lower-case hex of `bytes`.
std::string hex(std::string_view bytes);
// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
// The raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

// The canonical form of a query string as sent (without '?'): each name and value decoded (kept
// as is when its escapes are malformed), RFC 3986 encoded, sorted by name then value; a name
// without '=' gets an empty value.
std::string canonical_query(std::string_view query);

// The canonical URI of a path as sent on the wire (already percent-encoded; "" is "/"). Every
// service but S3 encodes it once more (`double_encode`); S3 signs it as sent.
std::string canonical_uri(std::string_view path, bool double_encode);

// The canonical URI a server gives a received path: decoded (kept as is when its escapes are
// malformed) and encoded once, so a client's choice of which safe bytes to escape does not matter.
std::string received_canonical_uri(std::string_view path);

// `value` trimmed, with inner runs of spaces and tabs squeezed to one space.
std::string canonical_header_value(std::string_view value);

// "name:value\n" for each of `signed_names` (lower case, in the order given); the value joins
// with ',' every header of that name in `headers` (matched in any case), each canonicalised.
std::string canonical_headers(std::span<const HeaderView> headers,
                              std::span<const std::string> signed_names);

// The canonical request's six parts joined by newlines (`canonical_headers` ends with its own).
std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                              std::string_view canonical_query, std::string_view canonical_headers,
                              std::string_view signed_headers, std::string_view payload_hash);

// "<date>/<region>/<service>/aws4_request"; `date` is YYYYMMDD.
std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service);

// The algorithm, the request time (X-Amz-Date), the scope and the canonical request's hash.
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);

// The raw signing key: HMAC chain of "AWS4" + secret over date, region, service, "aws4_request".
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);

// Lower-case hex HMAC-SHA256 of `string_to_sign` under `signing_key`: the signature.
std::string signature(std::string_view signing_key, std::string_view string_to_sign);

// "YYYYMMDDTHHMMSSZ" (UTC) of `time`, its whole seconds.
std::string amz_date(std::chrono::system_clock::time_point time);
// The time an X-Amz-Date names, as whole seconds (no four-digit year overflows them);
// std::nullopt unless it is exactly "YYYYMMDDTHHMMSSZ" with a valid date and time.
std::optional<std::chrono::sys_seconds> parse_amz_date(std::string_view text);

struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::optional<std::string> session_token;  // temporary credentials (STS)
};

// Where services differ in what they sign.
struct SigningRules {
    bool double_encode_path = true;      // false for S3: its path is signed as sent
    bool content_sha256_header = false;  // S3 requires X-Amz-Content-Sha256 on every request
};
inline constexpr SigningRules kStandardRules{};
inline constexpr SigningRules kS3Rules{false, true};

// A request to sign, as it will be sent.
struct RequestToSign {
    std::string_view method;
    std::string_view path;   // percent-encoded as sent, e.g. "/bucket/a%20key"
    std::string_view query;  // as sent, without '?'; "" when none
    // Every header to sign, Host included; none of those sign() adds.
    std::span<const HeaderView> headers;
    std::string_view payload_hash;  // sha256_hex(body), or kUnsignedPayload where allowed
};

using Header = std::pair<std::string, std::string>;

// Signs requests of one service in one region with one set of credentials.
class Signer {
  public:
    Signer(Credentials credentials, std::string region, std::string service,
           SigningRules rules = kStandardRules);

    // The headers to add so that `request` is signed at `now`: X-Amz-Date, X-Amz-Content-Sha256
    // (S3 rules), X-Amz-Security-Token (with a session token), then Authorization; every header
    // of `request` and each added one but Authorization is signed.
    std::vector<Header> sign(const RequestToSign& request,
                             std::chrono::system_clock::time_point now) const;

    const std::string& region() const noexcept { return region_; }

  private:
    Credentials credentials_;
    std::string region_;
    std::string service_;
    SigningRules rules_;
};

}  // namespace rekmock::sigv4
