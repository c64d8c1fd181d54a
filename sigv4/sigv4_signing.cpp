#include "sigv4_signing.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "digest.hpp"
#include "uri_encoding.hpp"

namespace rekmock::sigv4 {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

// One query component canonicalised: decoded, then encoded the one RFC 3986 way.
std::string canonical_component(std::string_view raw) {
    const std::optional<std::string> decoded = percent_decode(raw);
    return uri_encode(decoded ? std::string_view(*decoded) : raw, false);
}

}  // namespace

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0xf]);
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    const crypto::Sha256Digest digest = crypto::sha256(data);
    return hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    const crypto::Sha256Digest mac = crypto::hmac_sha256(key, data);
    return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            pairs.emplace_back(canonical_component(pair.substr(0, eq)),
                               eq == std::string_view::npos
                                   ? std::string()
                                   : canonical_component(pair.substr(eq + 1)));
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [name, value] : pairs) {
        out.append(out.empty() ? "" : "&").append(name).append("=").append(value);
    }
    return out;
}

std::string canonical_uri(std::string_view path, bool double_encode) {
    if (path.empty()) {
        return "/";
    }
    return double_encode ? uri_encode(path, true) : std::string(path);
}

std::string received_canonical_uri(std::string_view path) {
    if (path.empty()) {
        return "/";
    }
    const std::optional<std::string> decoded = percent_decode(path);
    return uri_encode(decoded ? std::string_view(*decoded) : path, true);
}

std::string canonical_header_value(std::string_view value) {
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

std::string canonical_headers(std::span<const HeaderView> headers,
                              std::span<const std::string> signed_names) {
    std::string out;
    for (const std::string& name : signed_names) {
        out.append(name).push_back(':');
        bool first = true;
        for (const auto& [field, value] : headers) {
            if (lower(field) == name) {
                out.append(first ? "" : ",").append(canonical_header_value(value));
                first = false;
            }
        }
        out.push_back('\n');
    }
    return out;
}

std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                              std::string_view canonical_query, std::string_view canonical_headers,
                              std::string_view signed_headers, std::string_view payload_hash) {
    std::string out;
    out.append(method).append("\n");
    out.append(canonical_uri).append("\n");
    out.append(canonical_query).append("\n");
    out.append(canonical_headers).append("\n");
    out.append(signed_headers).append("\n");
    out.append(payload_hash);
    return out;
}

std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service) {
    std::string out(date);
    out.append("/").append(region).append("/").append(service).append("/aws4_request");
    return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
    std::string out(kAlgorithm);
    out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
    out.append(sha256_hex(canonical_request));
    return out;
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
    std::string key = hmac_sha256("AWS4" + std::string(secret), date);
    key = hmac_sha256(key, region);
    key = hmac_sha256(key, service);
    return hmac_sha256(key, "aws4_request");
}

std::string signature(std::string_view signing_key, std::string_view string_to_sign) {
    return hex(hmac_sha256(signing_key, string_to_sign));
}

std::string amz_date(std::chrono::system_clock::time_point time) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
    const auto days = std::chrono::floor<std::chrono::days>(seconds);
    const std::chrono::year_month_day date{days};
    const std::chrono::hh_mm_ss clock{seconds - days};
    char text[32];
    std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return text;
}

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

Signer::Signer(Credentials credentials, std::string region, std::string service, SigningRules rules)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)),
      rules_(rules) {}

std::vector<Header> Signer::sign(const RequestToSign& request,
                                 std::chrono::system_clock::time_point now) const {
    const std::string date_time = amz_date(now);
    std::vector<Header> added;
    added.reserve(4);  // `all` below views these strings: no reallocation may move them
    added.emplace_back("X-Amz-Date", date_time);
    if (rules_.content_sha256_header) {
        added.emplace_back("X-Amz-Content-Sha256", std::string(request.payload_hash));
    }
    if (credentials_.session_token) {
        added.emplace_back("X-Amz-Security-Token", *credentials_.session_token);
    }

    std::vector<HeaderView> all(request.headers.begin(), request.headers.end());
    for (const auto& [name, value] : added) {
        all.emplace_back(name, value);
    }
    std::vector<std::string> names;
    for (const auto& header : all) {
        names.push_back(lower(header.first));
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string signed_headers;
    for (const std::string& name : names) {
        signed_headers.append(signed_headers.empty() ? "" : ";").append(name);
    }

    const std::string date = date_time.substr(0, 8);
    const std::string scope = credential_scope(date, region_, service_);
    const std::string canonical =
        canonical_request(request.method, canonical_uri(request.path, rules_.double_encode_path),
                          canonical_query(request.query), canonical_headers(all, names),
                          signed_headers, request.payload_hash);
    const std::string key = signing_key(credentials_.secret_access_key, date, region_, service_);
    added.emplace_back("Authorization",
                       std::string(kAlgorithm) + " Credential=" + credentials_.access_key_id + "/" +
                           scope + ", SignedHeaders=" + signed_headers + ", Signature=" +
                           signature(key, string_to_sign(date_time, scope, canonical)));
    return added;
}

}  // namespace rekmock::sigv4
