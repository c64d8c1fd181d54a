#include "sigv4_authorization.hpp"

#include <array>

#include "sigv4_signing.hpp"

namespace rekmock::protocol {
namespace {

std::string_view trim_spaces(std::string_view text) {
    const std::size_t first = text.find_first_not_of(' ');
    return first == std::string_view::npos
               ? std::string_view()
               : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// `text` split at every `separator`; false if a part is empty.
template <std::size_t N>
bool split_exactly(std::string_view text, char separator, std::array<std::string_view, N>& out) {
    for (std::size_t i = 0; i < N; ++i) {
        const std::size_t at = i + 1 < N ? text.find(separator) : std::string_view::npos;
        if (i + 1 < N && at == std::string_view::npos) {
            return false;
        }
        out[i] = text.substr(0, at);
        if (out[i].empty()) {
            return false;
        }
        text.remove_prefix(at == std::string_view::npos ? text.size() : at + 1);
    }
    return true;
}

// A parameter value: printable ASCII without spaces or commas.
bool plain_value(std::string_view value) {
    for (const char c : value) {
        if (c <= ' ' || c > '~' || c == ',') {
            return false;
        }
    }
    return !value.empty();
}

}  // namespace

std::string SigV4Authorization::credential_scope() const {
    return sigv4::credential_scope(date, region, service);
}

std::optional<SigV4Authorization> parse_sigv4_authorization(std::string_view header) {
    if (!header.starts_with(kSigV4Algorithm) || header.substr(kSigV4Algorithm.size(), 1) != " ") {
        return std::nullopt;
    }
    std::string_view rest = header.substr(kSigV4Algorithm.size() + 1);
    std::optional<std::string_view> credential;
    std::optional<std::string_view> signed_headers;
    std::optional<std::string_view> signature;
    for (int count = 0; count < 3; ++count) {
        const std::size_t comma = count < 2 ? rest.find(',') : std::string_view::npos;
        if (count < 2 && comma == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view parameter = trim_spaces(rest.substr(0, comma));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        const std::size_t eq = parameter.find('=');
        const std::string_view name = parameter.substr(0, eq);
        const std::string_view value =
            eq == std::string_view::npos ? std::string_view() : parameter.substr(eq + 1);
        auto& slot = name == "Credential"      ? credential
                     : name == "SignedHeaders" ? signed_headers
                     : name == "Signature"     ? signature
                                               : credential;
        if (!plain_value(value) || slot.has_value() ||
            (name != "Credential" && name != "SignedHeaders" && name != "Signature")) {
            return std::nullopt;
        }
        slot = value;
    }
    std::array<std::string_view, 5> scope;
    if (!split_exactly(*credential, '/', scope) || scope[4] != "aws4_request") {
        return std::nullopt;
    }
    SigV4Authorization parsed{std::string(scope[0]),
                              std::string(scope[1]),
                              std::string(scope[2]),
                              std::string(scope[3]),
                              {},
                              std::string(*signed_headers),
                              std::string(*signature)};
    std::string_view names = *signed_headers;
    while (true) {
        const std::size_t semicolon = names.find(';');
        const std::string_view name = names.substr(0, semicolon);
        if (name.empty()) {
            return std::nullopt;
        }
        parsed.signed_headers.emplace_back(name);
        if (semicolon == std::string_view::npos) {
            return parsed;
        }
        names.remove_prefix(semicolon + 1);
    }
}

}  // namespace rekmock::protocol
