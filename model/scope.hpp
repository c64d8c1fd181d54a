#pragma once

// Where a job lives: callers see only the jobs, idempotency tokens and pagination tokens of their
// own (account, region), as in AWS. The one home of the scope's rules and its defaults.

#include <compare>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rekmock {

inline constexpr std::string_view kDefaultAccount = "000000000000";
inline constexpr std::string_view kDefaultRegion = "us-east-1";

struct Scope {
    std::string account = std::string(kDefaultAccount);
    std::string region = std::string(kDefaultRegion);
    auto operator<=>(const Scope&) const = default;  // (account, region) order
};

// True for an AWS account id: 12 digits.
bool is_account_id(std::string_view text) noexcept;

// True for a region name such as "eu-west-1": 1..32 lower-case letters, digits and '-'.
bool is_region_name(std::string_view text) noexcept;

// An AccountId or Region that is not one; what() names the member and the rule.
class InvalidScope : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// The scope named by `account` and `region`, each defaulting to `defaults`'; throws InvalidScope.
Scope parse_scope(std::optional<std::string_view> account, std::optional<std::string_view> region,
                  const Scope& defaults);

}  // namespace rekmock
