#include "request_log_query.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "comma_list.hpp"
#include "control_request.hpp"
#include "error_response.hpp"
#include "media_analysis_job.hpp"
#include "operations.hpp"
#include "whole_number.hpp"

namespace rekmock::control {
namespace {

constexpr std::string_view kFilterParameters =
    "Operation, AccountId, Region, Status, ErrorType, ClientRequestToken, JobName, Unroutable, "
    "RequestId, Since";

std::string operation(const std::string& value) {
    if (protocol::find_operation(value) == nullptr) {
        bad_request("Operation must be one of " + comma_list(protocol::operation_names()) +
                    ", not '" + value + "' (requests for another are listed with Unroutable=true)");
    }
    return value;
}

// "400" is that status; "4xx" its class.
protocol::StatusRange status(const std::string& value) {
    const bool is_class = value.size() == 3 && value[0] >= '1' && value[0] <= '5' &&
                          (value[1] == 'x' || value[1] == 'X') &&
                          (value[2] == 'x' || value[2] == 'X');
    if (is_class) {
        const unsigned low = static_cast<unsigned>(value[0] - '0') * 100;
        return {low, low + 99};
    }
    const auto exact = value.size() == 3 ? whole_number<unsigned>(value) : std::nullopt;
    if (exact && *exact >= 100 && *exact <= 599) {
        return {*exact, *exact};
    }
    bad_request("Status must be an HTTP status from 100 to 599 or a class such as 4xx, not '" +
                value + "'");
}

std::string error_type(const std::string& value) {
    const auto names = protocol::error_type_names();
    if (value != protocol::kAnyError &&
        std::find(names.begin(), names.end(), value) == names.end()) {
        bad_request("ErrorType must be * (any error) or one of " + comma_list(names) + ", not '" +
                    value + "'");
    }
    return value;
}

// A member value the journal keeps: one longer than it keeps could never match.
std::string noted(const std::string& name, const std::string& value) {
    if (value.size() > protocol::kMaxNotedBytes) {
        bad_request(name + " must be at most " + std::to_string(protocol::kMaxNotedBytes) +
                    " bytes");
    }
    return value;
}

bool flag(const std::string& name, const std::string& value) {
    if (value != "true" && value != "false") {
        bad_request(name + " must be true or false, not '" + value + "'");
    }
    return value == "true";
}

// Include's comma-separated list of Latency and Bodies.
void include(const std::string& value, RequestLogQuery& query) {
    for (const std::string_view item : split(value, ',')) {
        if (item == "Latency") {
            query.include_latency = true;
        } else if (item == "Bodies") {
            query.include_bodies = true;
        } else {
            bad_request("Include takes Latency and Bodies, comma-separated, not '" +
                        std::string(item) + "'");
        }
    }
}

}  // namespace

RequestLogQuery parse_request_log_query(const Params& params, RequestLogAnswer answer) {
    RequestLogQuery query;
    protocol::RequestFilter& filter = query.filter;
    for (const auto& [name, value] : params) {
        // No condition is met by an empty value; most likely a form left blank by mistake.
        if (value.empty()) {
            bad_request(name + " must not be empty");
        }
        if (name == "Operation") {
            filter.operation = operation(value);
        } else if (name == "AccountId") {
            filter.account = value;
        } else if (name == "Region") {
            filter.region = value;
        } else if (name == "Status") {
            filter.status = status(value);
        } else if (name == "ErrorType") {
            filter.error_type = error_type(value);
        } else if (name == "ClientRequestToken") {
            filter.client_request_token = noted(name, value);
        } else if (name == "JobName") {
            filter.job_name = noted(name, value);
        } else if (name == "Unroutable") {
            filter.unroutable = flag(name, value);
        } else if (name == "RequestId") {
            filter.request_id = value;
        } else if (name == "Since") {
            query.since = value;
        } else if (name == "Limit" && answer == RequestLogAnswer::List) {
            query.limit = whole_number_param(name, value, kMaxRequestLimit);
        } else if (name == "Include" && answer == RequestLogAnswer::List) {
            include(value, query);
        } else if (name == "Limit" || name == "Include") {
            bad_request(name + " does not apply to a count");
        } else {
            bad_request("unknown parameter '" + name + "'; the request log takes " +
                        std::string(kFilterParameters) +
                        (answer == RequestLogAnswer::List ? ", Limit, Include" : ""));
        }
    }
    try {
        parse_scope(filter.account, filter.region, Scope{});
    } catch (const InvalidScope& e) {
        bad_request(e.what());
    }
    return query;
}

}  // namespace rekmock::control
