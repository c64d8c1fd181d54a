#include <utility>

#include "control_endpoints.hpp"
#include "request_filter.hpp"
#include "request_log_query.hpp"
#include "timestamp_json.hpp"

namespace rekmock::control {
namespace {

// A journaled request as the log shows it: routed ones by operation, the others as sent; its
// latency and bodies when the query includes them.
OJson request_json(const protocol::RequestRecord& record, const RequestLogQuery& query) {
    OJson entry{{"Time", protocol::to_epoch_seconds(record.time)},
                {"RequestId", record.request_id}};
    if (record.unroutable) {
        // No operation took it, so there is none to name (and no null in our JSON): what was
        // read of it instead, each member only when it was.
        entry["Unroutable"] = true;
        for (const auto& [name, text] : {std::pair{"Method", &record.unroutable->method},
                                         std::pair{"Path", &record.unroutable->path},
                                         std::pair{"Target", &record.unroutable->target}}) {
            if (!text->empty()) {
                entry[name] = *text;
            }
        }
    } else {
        entry["Operation"] = record.operation;
    }
    entry["AccountId"] = record.caller.account;
    entry["Region"] = record.caller.region;
    entry["Status"] = record.status;
    if (!record.error_type.empty()) {
        entry["ErrorType"] = record.error_type;
    }
    if (record.noted.client_request_token) {
        entry["ClientRequestToken"] = *record.noted.client_request_token;
    }
    if (record.noted.job_name) {
        entry["JobName"] = *record.noted.job_name;
    }
    if (query.include_latency) {
        entry["LatencyMs"] = static_cast<double>(record.latency.count()) / 1000.0;
    }
    if (query.include_bodies) {
        // The bodies as text (a JSON body is shown, not parsed: it may be what the mock refused),
        // with their full sizes, so a reader sees when the log kept only their start.
        entry["RequestBody"] = record.request_body.text;
        entry["RequestBodyBytes"] = record.request_body.bytes;
        entry["ResponseBody"] = record.response_body.text;
        entry["ResponseBodyBytes"] = record.response_body.bytes;
    }
    return entry;
}

// The journal's records that `query` selects; a Since that names no kept request is refused, as
// "nothing after it" would hide a test's mistake.
protocol::RequestSelection select_requests(const ControlState& state, const RequestLogQuery& query,
                                           std::size_t limit) {
    auto selection = state.control.requests(query.filter, query.since, limit);
    if (!selection) {
        bad_request("Since: no request '" + *query.since +
                    "' in the log (it keeps the last 1000 AWS requests; a reset or DELETE "
                    "/_mock/requests empties it)");
    }
    return std::move(*selection);
}

}  // namespace

Reply list_requests(ControlState& state, const ControlRequest& request) {
    const auto query = parse_request_log_query(request.target.query, RequestLogAnswer::List);
    OJson records = OJson::array();
    for (const auto& record : select_requests(state, query, query.limit).records) {
        records.push_back(request_json(record, query));
    }
    return reply(OJson{{"Requests", std::move(records)}});
}

Reply count_requests(ControlState& state, const ControlRequest& request) {
    const auto query = parse_request_log_query(request.target.query, RequestLogAnswer::Count);
    return reply(OJson{{"Count", select_requests(state, query, 0).matched}});
}

Reply clear_requests(ControlState& state, const ControlRequest&) {
    state.control.clear_requests();
    return reply(OJson{{"RequestsCleared", true}});
}

}  // namespace rekmock::control
