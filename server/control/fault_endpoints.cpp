#include <cmath>

#include "comma_list.hpp"
#include "control_endpoints.hpp"
#include "error_response.hpp"
#include "operations.hpp"

namespace rekmock::control {
namespace {

// The error types a fault rule may inject: the throttling, capacity, server and permission
// errors every Rekognition operation can answer.
std::optional<service::ErrorKind> injectable_error(const std::string& type) {
    const auto kind = protocol::error_kind_named(type);
    if (kind == service::ErrorKind::Throttling ||
        kind == service::ErrorKind::ProvisionedThroughputExceeded ||
        kind == service::ErrorKind::InternalServerError ||
        kind == service::ErrorKind::AccessDenied) {
        return kind;
    }
    return std::nullopt;
}

protocol::FaultRule parse_fault_rule(const json::Members& body) {
    protocol::FaultRule rule;
    rule.operation = body.string("Operation").value_or("*");
    if (rule.operation != "*" && protocol::find_operation(rule.operation) == nullptr) {
        bad_request("Operation must be \"*\" or one of " + comma_list(protocol::operation_names()) +
                    ", not '" + rule.operation + "'");
    }
    if (const auto error = body.string("Error")) {
        rule.error = injectable_error(*error);
        if (!rule.error) {
            bad_request(
                "Error must be one of ThrottlingException, "
                "ProvisionedThroughputExceededException, InternalServerError, "
                "AccessDeniedException, not '" +
                *error + "'");
        }
    }
    const double latency = body.number("LatencyMs").value_or(0);
    if (!(latency >= 0 && latency <= 60'000)) {
        bad_request("LatencyMs must be between 0 and 60000");
    }
    rule.latency = std::chrono::milliseconds(static_cast<std::int64_t>(latency));
    if (!rule.error && rule.latency.count() == 0) {
        bad_request("a fault rule needs an Error, a LatencyMs above 0, or both");
    }
    const auto count = body.number("Count");
    const auto probability = body.number("Probability");
    if (count.has_value() == probability.has_value()) {
        bad_request("a fault rule needs exactly one of Count and Probability");
    }
    if (count) {
        if (!(*count >= 1 && *count <= 1e9) || std::floor(*count) != *count) {
            bad_request("Count must be a whole number from 1");
        }
        rule.count = static_cast<std::int64_t>(*count);
    } else {
        if (!(*probability > 0 && *probability <= 1)) {
            bad_request("Probability must be above 0 and at most 1");
        }
        rule.probability = *probability;
        const double seed = body.number("Seed").value_or(0);
        if (!(seed >= 0 && seed <= 9007199254740991.0) || std::floor(seed) != seed) {
            bad_request("Seed must be a whole number from 0 to 2^53-1");
        }
        rule.seed = static_cast<std::uint64_t>(seed);
    }
    return rule;
}

OJson fault_json(const protocol::FaultRuleState& state) {
    OJson out{{"Id", state.id}, {"Operation", state.rule.operation}};
    if (state.rule.error) {
        out["Error"] = protocol::error_type_name(*state.rule.error);
    }
    out["LatencyMs"] = state.rule.latency.count();
    if (state.rule.count) {
        out["RemainingCount"] = *state.rule.count;
    } else {
        out["Probability"] = state.rule.probability.value_or(1.0);
        out["Seed"] = state.rule.seed;
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
