#pragma once

// Which journaled requests a test asks about (GET /_mock/requests?Operation=...&Status=4xx):
// each condition set must hold, so one query answers "Start was called once with this token" or
// "no request failed validation".

#include <optional>
#include <string>
#include <string_view>

#include "request_journal.hpp"

namespace rekmock::protocol {

// The ErrorType condition that any error meets.
inline constexpr std::string_view kAnyError = "*";

// HTTP statuses from `low` to `high`: an exact status (400..400) or a class (4xx: 400..499).
struct StatusRange {
    unsigned low = 0;
    unsigned high = 0;
    bool operator==(const StatusRange&) const = default;
};

struct RequestFilter {
    std::optional<std::string> operation;  // routed requests of this operation only
    std::optional<std::string> account;
    std::optional<std::string> region;
    std::optional<StatusRange> status;
    std::optional<std::string> error_type;  // an AWS error name, or kAnyError
    std::optional<std::string> client_request_token;
    std::optional<std::string> job_name;
    std::optional<bool> unroutable;
    std::optional<std::string> request_id;  // the one request the client saw this id from

    // True when `record` meets every condition that is set.
    bool matches(const RequestRecord& record) const;
};

}  // namespace rekmock::protocol
