#include "sigv4_verifier.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "protocol_error.hpp"

namespace rekmock::protocol {
namespace {

constexpr auto kMaxSkew = std::chrono::minutes(15);

[[noreturn]] void reject(ProtocolErrorKind kind, const std::string& message) {
    throw ProtocolError(kind, message);
}

std::string hex(const unsigned char* data, std::size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kHex[data[i] >> 4]);
        out.push_back(kHex[data[i] & 0xf]);
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
    return hex(digest.data(), digest.size());
}

std::string hmac(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size);
    return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string trim(std::string_view value) {
    // Trim the ends and collapse inner runs of spaces, as SigV4's canonical headers do.
    std::string out;
    bool space = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out.push_back(' ');
            space = false;
        }
        out.push_back(c);
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

// RFC 3986 encoding of an already-decoded component, as SigV4 wants it.
std::string uri_encode(std::string_view text, bool keep_slash) {
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (unreserved(c) || (keep_slash && c == '/')) {
            out.push_back(ch);
        } else {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", c);
            out += buffer;
        }
    }
    return out;
}

std::string uri_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const std::string hex_digits(text.substr(i + 1, 2));
            char* end = nullptr;
            const long value = std::strtol(hex_digits.c_str(), &end, 16);
            if (end == hex_digits.c_str() + 2) {
                out.push_back(static_cast<char>(value));
                i += 2;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            pairs.emplace_back(uri_encode(uri_decode(pair.substr(0, eq)), false),
                               eq == std::string_view::npos
                                   ? std::string()
                                   : uri_encode(uri_decode(pair.substr(eq + 1)), false));
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [key, value] : pairs) {
        out += (out.empty() ? "" : "&") + key + "=" + value;
    }
    return out;
}

// "20240101T120000Z" as whole seconds; std::nullopt when malformed. Seconds, not the system
// clock's nanoseconds, so that no four-digit year can overflow.
std::optional<std::chrono::sys_seconds> parse_amz_date(std::string_view text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
        return std::nullopt;
    }
    const auto number = [&](std::size_t at, std::size_t digits) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = at; i < at + digits; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return std::nullopt;
            }
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const auto y = number(0, 4), mo = number(4, 2), d = number(6, 2);
    const auto h = number(9, 2), mi = number(11, 2), s = number(13, 2);
    if (!y || !mo || !d || !h || !mi || !s) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(*y),
                                           std::chrono::month(static_cast<unsigned>(*mo)),
                                           std::chrono::day(static_cast<unsigned>(*d))};
    if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) {
        return std::nullopt;
    }
    return std::chrono::sys_days(date) + std::chrono::hours(*h) + std::chrono::minutes(*mi) +
           std::chrono::seconds(*s);
}

}  // namespace

void SigV4Verifier::verify(const net::HttpRequest& request,
                           std::chrono::system_clock::time_point now) const {
    verify(request, parse_sigv4_authorization(request[boost::beast::http::field::authorization]),
           now);
}

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
    const auto signed_at = parse_amz_date(amz_date);
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

    // The canonical request: method, path, query, each signed header, the list, the payload hash.
    const std::string_view target = request.target();
    const std::size_t question = target.find('?');
    std::string path(target.substr(0, question));
    if (path.empty()) {
        path = "/";
    }
    std::string canonical =
        std::string(request.method_string()) + "\n" + uri_encode(uri_decode(path), true) + "\n" +
        canonical_query(question == std::string_view::npos ? std::string_view()
                                                           : target.substr(question + 1)) +
        "\n";
    for (const std::string& name : auth.signed_headers) {
        std::string value;
        for (const auto& field : request) {
            if (lower(field.name_string()) == name) {
                value += (value.empty() ? "" : ",") + trim(field.value());
            }
        }
        canonical += name + ":" + value + "\n";
    }
    // A client may state the payload's hash; it must then be the hash of what arrived.
    const std::string body_hash = sha256_hex(request.body());
    const std::string_view stated_hash = request["X-Amz-Content-Sha256"];
    if (!stated_hash.empty() && stated_hash != body_hash) {
        reject(ProtocolErrorKind::InvalidSignature,
               "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    canonical += "\n" + auth.signed_headers_text + "\n" + body_hash;

    const std::string string_to_sign = std::string(kSigV4Algorithm) + "\n" + amz_date + "\n" +
                                       auth.credential_scope() + "\n" + sha256_hex(canonical);
    std::string key = hmac("AWS4" + secret->second, auth.date);
    key = hmac(key, auth.region);
    key = hmac(key, auth.service);
    key = hmac(key, "aws4_request");
    const std::string expected = hmac(key, string_to_sign);
    const std::string expected_hex =
        hex(reinterpret_cast<const unsigned char*>(expected.data()), expected.size());
    if (expected_hex.size() != auth.signature.size() ||
        CRYPTO_memcmp(expected_hex.data(), auth.signature.data(), auth.signature.size()) != 0) {
        reject(ProtocolErrorKind::InvalidSignature,
               "The request signature we calculated does not match the signature you provided. "
               "Check your AWS Secret Access Key and signing method. Consult the service "
               "documentation for details.");
    }
}

}  // namespace rekmock::protocol
