#include "scope.hpp"

namespace rekmock {

bool is_account_id(std::string_view text) noexcept {
    return text.size() == 12 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_region_name(std::string_view text) noexcept {
    return !text.empty() && text.size() <= 32 &&
           text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
               std::string_view::npos;
}

Scope parse_scope(std::optional<std::string_view> account, std::optional<std::string_view> region,
                  const Scope& defaults) {
    Scope scope = defaults;
    if (account) {
        if (!is_account_id(*account)) {
            throw InvalidScope("AccountId must be 12 digits, not '" + std::string(*account) + "'");
        }
        scope.account = *account;
    }
    if (region) {
        if (!is_region_name(*region)) {
            throw InvalidScope("Region must be a region name such as eu-west-1, not '" +
                               std::string(*region) + "'");
        }
        scope.region = *region;
    }
    return scope;
}

}  // namespace rekmock
