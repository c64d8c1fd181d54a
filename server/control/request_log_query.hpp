#pragma once

// The query of GET /_mock/requests and GET /_mock/requests/count, read into a journal filter.
// Every parameter is checked and an unknown one refused: a misspelt filter that matched every
// request would let "no request failed validation" pass for the wrong reason.

#include <cstddef>
#include <optional>
#include <string>

#include "request_filter.hpp"
#include "route_table.hpp"

namespace rekmock::control {

// Limit's bounds: the journal keeps the last 1000 requests.
inline constexpr std::size_t kDefaultRequestLimit = 100;
inline constexpr std::size_t kMaxRequestLimit = 1000;

// What the answer is: the requests themselves (Limit applies), or only how many.
enum class RequestLogAnswer { List, Count };

struct RequestLogQuery {
    protocol::RequestFilter filter;
    std::optional<std::string> since;  // a RequestId: only requests after it
    std::size_t limit = kDefaultRequestLimit;
    // What a listed request shows beyond its default members (Include=Latency,Bodies): opt-in,
    // so answers stay the shape suites already compare, and bodies cost only who asks.
    bool include_latency = false;
    bool include_bodies = false;
};

// The query `params` name; throws BadRequest naming the parameter that is unknown or invalid.
RequestLogQuery parse_request_log_query(const Params& params, RequestLogAnswer answer);

}  // namespace rekmock::control
