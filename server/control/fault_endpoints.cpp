#include <algorithm>
#include <array>
#include <cmath>

#include "comma_list.hpp"
#include "control_endpoints.hpp"
#include "error_response.hpp"
#include "operations.hpp"
#include "throughput_quotas.hpp"
#include "timestamp_json.hpp"

namespace rekmock::control {
namespace {

// The error types a fault rule may inject: the throttling, capacity, server and permission
// errors every Rekognition operation can answer.
constexpr std::array kInjectableErrors{
    service::ErrorKind::Throttling, service::ErrorKind::ProvisionedThroughputExceeded,
    service::ErrorKind::InternalServerError, service::ErrorKind::AccessDenied};

// A number member within [low, high], `whole` when it must be a whole number; `fallback` when
// absent.
std::optional<double> bounded(const json::Members& body, std::string_view name, double low,
                              double high, const char* rule, bool whole = false) {
    const auto value = body.number(name);
    if (value && (!(*value >= low && *value <= high) || (whole && std::floor(*value) != *value))) {
        bad_request(std::string(name) + " must be " + rule);
    }
    return value;
}

std::chrono::milliseconds whole_milliseconds(double value) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(value));
}

// "Latency": {"P50": 40, "P95": 200, "P99": 900, "Max": 2000}, milliseconds, each at most the next.
protocol::LatencyProfile latency_profile(const json::Members& latency) {
    std::array<double, 4> values{};
    const std::array<const char*, 4> names{"P50", "P95", "P99", "Max"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto value = bounded(latency, names[i], 0, 60'000, "between 0 and 60000");
        if (!value) {
            bad_request("Latency needs P50, P95, P99 and Max (milliseconds)");
        }
        if (i > 0 && *value < values[i - 1]) {
            bad_request(std::string("Latency.") + names[i] + " must be at least Latency." +
                        names[i - 1]);
        }
        values[i] = *value;
    }
    return {whole_milliseconds(values[0]), whole_milliseconds(values[1]),
            whole_milliseconds(values[2]), whole_milliseconds(values[3])};
}

protocol::FaultRule parse_fault_rule(const json::Members& body) {
    protocol::FaultRule rule;
    rule.operation = body.string("Operation").value_or("*");
    if (rule.operation != "*" && protocol::find_operation(rule.operation) == nullptr) {
        bad_request("Operation must be \"*\" or one of " + comma_list(protocol::operation_names()) +
                    ", not '" + rule.operation + "'");
    }
    if (const auto error = body.string("Error")) {
        rule.error = protocol::error_kind_named(*error);
        if (std::find(kInjectableErrors.begin(), kInjectableErrors.end(), rule.error) ==
            kInjectableErrors.end()) {
            bad_request("Error must be one of " +
                        comma_list(kInjectableErrors, &protocol::error_type_name) + ", not '" +
                        *error + "'");
        }
    }
    rule.latency = whole_milliseconds(
        bounded(body, "LatencyMs", 0, 60'000, "between 0 and 60000").value_or(0));
    if (const auto latency = body.object("Latency")) {
        if (rule.latency.count() != 0) {
            bad_request("a fault rule takes LatencyMs or Latency, not both");
        }
        rule.latency_profile = latency_profile(*latency);
    }
    if (!rule.error && rule.latency.count() == 0 &&
        (!rule.latency_profile || rule.latency_profile->max.count() == 0)) {
        bad_request("a fault rule needs an Error, a LatencyMs above 0, or both");
    }
    const auto count = bounded(body, "Count", 1, 1e9, "a whole number from 1", true);
    const auto probability = body.number("Probability");
    const auto rate = bounded(body, "RatePerSecond", 0, protocol::kMaxRatePerSecond,
                              "above 0 and at most 1000000");
    if (int{count.has_value()} + int{probability.has_value()} + int{rate.has_value()} != 1) {
        bad_request("a fault rule needs exactly one of Count, Probability and RatePerSecond");
    }
    if (count) {
        rule.count = static_cast<std::int64_t>(*count);
    } else if (probability) {
        if (!(*probability > 0 && *probability <= 1)) {
            bad_request("Probability must be above 0 and at most 1");
        }
        rule.probability = *probability;
    } else {
        if (*rate == 0) {
            bad_request("RatePerSecond must be above 0 and at most 1000000");
        }
        rule.rate = protocol::FaultRate{
            *rate,
            bounded(body, "Burst", 1, protocol::kMaxRatePerSecond, "at least 1 and at most 1000000")
                .value_or(std::max(1.0, *rate))};
    }
    if (!rule.rate && body.number("Burst")) {
        bad_request("Burst goes with RatePerSecond");
    }
    rule.seed = static_cast<std::uint64_t>(
        bounded(body, "Seed", 0, 9007199254740991.0, "a whole number from 0 to 2^53-1", true)
            .value_or(0));
    if (const auto seconds = bounded(body, "ForSeconds", 0.001, 86400.0 * 3650,
                                     "above 0 and at most ten years (315360000)")) {
        rule.lifetime = std::chrono::milliseconds(std::llround(*seconds * 1000));
    }
    return rule;
}

OJson fault_json(const protocol::FaultRuleState& state) {
    const protocol::FaultRule& rule = state.rule;
    OJson out{{"Id", state.id}, {"Operation", rule.operation}};
    if (rule.error) {
        out["Error"] = protocol::error_type_name(*rule.error);
    }
    out["LatencyMs"] = rule.latency.count();
    if (const auto& latency = rule.latency_profile) {
        out["Latency"] = OJson{{"P50", latency->p50.count()},
                               {"P95", latency->p95.count()},
                               {"P99", latency->p99.count()},
                               {"Max", latency->max.count()}};
    }
    if (rule.count) {
        out["RemainingCount"] = *rule.count;
    } else if (rule.rate) {
        out["RatePerSecond"] = rule.rate->rate_per_second;
        out["Burst"] = rule.rate->burst;
    } else {
        out["Probability"] = rule.probability.value_or(1.0);
    }
    if (rule.probability || rule.latency_profile) {
        out["Seed"] = rule.seed;
    }
    if (state.expires) {
        out["ExpiresAt"] = protocol::to_epoch_seconds(*state.expires);
    }
    out["Fired"] = state.fired;
    return out;
}

}  // namespace

Reply list_faults(ControlState& state, const ControlRequest&) {
    OJson rules = OJson::array();
    for (const auto& rule : state.control.faults()) {
        rules.push_back(fault_json(rule));
    }
    return reply(OJson{{"Faults", std::move(rules)}});
}

Reply add_fault(ControlState& state, const ControlRequest& request) {
    const std::string id = state.control.add_fault(parse_fault_rule(request.body()));
    const auto added = state.control.fault(id);
    // Already spent or removed by a concurrent call: its Id alone.
    return reply(added ? fault_json(*added) : OJson{{"Id", id}}, http::status::created);
}

Reply clear_faults(ControlState& state, const ControlRequest&) {
    return reply(OJson{{"FaultsCleared", state.control.clear_faults()}});
}

Reply remove_fault(ControlState& state, const ControlRequest& request) {
    const std::string& id = request.params.at("Id");
    if (!state.control.remove_fault(id)) {
        not_found("no fault rule '" + id + "'");
    }
    return reply(OJson{{"FaultsCleared", 1}});
}

}  // namespace rekmock::control
