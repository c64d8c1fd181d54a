#include "caller_scope.hpp"

#include <array>

namespace rekmock::protocol {
namespace {

bool is_region_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool is_account_id(std::string_view text) {
    if (text.size() != 12) {
        return false;
    }
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

}  // namespace

Scope caller_scope(std::string_view authorization, const std::string& default_account) {
    Scope scope{default_account, std::string(kDefaultRegion)};
    constexpr std::string_view kCredential = "Credential=";
    const std::size_t start = authorization.find(kCredential);
    if (start == std::string_view::npos) {
        return scope;
    }
    std::string_view credential = authorization.substr(start + kCredential.size());
    credential = credential.substr(0, credential.find_first_of(", "));

    // access-key-id / date / region / service / aws4_request
    std::array<std::string_view, 5> parts;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::size_t slash = credential.find('/');
        parts[i] = credential.substr(0, slash);
        if (slash == std::string_view::npos) {
            if (i != parts.size() - 1) {
                return scope;
            }
            break;
        }
        credential.remove_prefix(slash + 1);
    }
    if (is_account_id(parts[0])) {
        scope.account = std::string(parts[0]);
    }
    const std::string_view region = parts[2];
    bool region_ok = !region.empty() && region.size() <= 32;
    for (const char c : region) {
        region_ok = region_ok && is_region_char(c);
    }
    if (region_ok) {
        scope.region = std::string(region);
    }
    return scope;
}

}  // namespace rekmock::protocol
