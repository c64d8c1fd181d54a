#include <cmath>

#include "comma_list.hpp"
#include "control_endpoints.hpp"
#include "operations.hpp"

namespace rekmock::control {
namespace {

// A number of calls a second: above 0, at most kMaxRatePerSecond.
double rate_member(const json::Members& body, const char* name, double fallback) {
    const double value = body.number(name).value_or(fallback);
    if (!(value > 0 && value <= protocol::kMaxRatePerSecond)) {
        bad_request(std::string(name) + " must be above 0 and at most 1000000");
    }
    return value;
}

protocol::Quota parse_quota_request(const json::Members& body) {
    protocol::Quota quota;
    const auto operation = body.string("Operation");
    if (!operation || protocol::find_operation(*operation) == nullptr) {
        bad_request("Operation must be one of " + comma_list(protocol::operation_names()) +
                    (operation ? ", not '" + *operation + "'" : std::string()));
    }
    quota.operation = *operation;
    if (!body.number("RatePerSecond")) {
        bad_request("a quota needs a RatePerSecond");
    }
    quota.rate_per_second = rate_member(body, "RatePerSecond", 1);
    quota.burst = rate_member(body, "Burst", std::max(1.0, quota.rate_per_second));
    if (quota.burst < 1) {
        bad_request("Burst must be at least 1: a bucket that holds no call would refuse every one");
    }
    return quota;
}

OJson quota_json(const protocol::QuotaState& state) {
    return OJson{{"Operation", state.quota.operation},
                 {"RatePerSecond", state.quota.rate_per_second},
                 {"Burst", state.quota.burst},
                 {"Throttled", state.throttled}};
}

}  // namespace

Reply list_quotas(ControlState& state, const ControlRequest&) {
    OJson quotas = OJson::array();
    for (const auto& quota : state.control.quotas()) {
        quotas.push_back(quota_json(quota));
    }
    return reply(OJson{{"Quotas", std::move(quotas)}});
}

// Sets an operation's quota, replacing the one it had: every scope's bucket starts full.
Reply set_quota(ControlState& state, const ControlRequest& request) {
    const protocol::Quota quota = parse_quota_request(request.body());
    if (!state.control.set_quota(quota)) {
        not_found("This server keeps no throughput quotas.");
    }
    return reply(quota_json({quota, 0}));
}

Reply clear_quotas(ControlState& state, const ControlRequest&) {
    return reply(OJson{{"QuotasCleared", state.control.clear_quotas()}});
}

Reply remove_quota(ControlState& state, const ControlRequest& request) {
    const std::string& operation = request.params.at("Operation");
    if (!state.control.remove_quota(operation)) {
        not_found("no quota for '" + operation + "'");
    }
    return reply(OJson{{"QuotasCleared", 1}});
}

}  // namespace rekmock::control
