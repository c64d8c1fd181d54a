#include "control_endpoints.hpp"

namespace rekmock::control {

Scope scope_named(const ControlState& state, const std::optional<std::string>& account,
                  const std::optional<std::string>& region) {
    try {
        return parse_scope(account, region,
                           Scope{state.info.default_account, std::string(kDefaultRegion)});
    } catch (const InvalidScope& e) {
        bad_request(e.what());
    }
}

Scope query_scope(const ControlState& state, const ControlRequest& request) {
    return scope_named(state, request.query("AccountId"), request.query("Region"));
}

Scope body_scope(const ControlState& state, const JsonObject& body) {
    return scope_named(state, body.string("AccountId"), body.string("Region"));
}

RouteTable<Endpoint> control_routes() {
    using boost::beast::http::verb;
    const HealthEndpoints health = health_endpoints();
    const JobEndpoints jobs = job_endpoints();
    const ObjectEndpoints objects = object_endpoints();
    const FaultEndpoints faults = fault_endpoints();
    const RequestEndpoints requests = request_endpoints();
    const RuleEndpoints rules = rule_endpoints();
    const UiEndpoints ui = ui_endpoints();
    // Where a path takes several methods, a wrong one is told to use the last row's.
    return RouteTable<Endpoint>({
        {verb::get, "/_localstack/health", health.localstack},
        {verb::get, "/_mock/health", health.mock},
        {verb::post, "/_mock/reset", jobs.reset},
        {verb::get, "/_mock/jobs", jobs.dump},
        {verb::post, "/_mock/jobs", jobs.seed},
        {verb::post, "/_mock/jobs/{JobId}/status", jobs.set_status},
        {verb::post, "/_mock/jobs/{JobId}/progress", jobs.set_progress},
        {verb::get, "/_mock/jobs/{JobId}/results", objects.results},
        {verb::get, "/_mock/jobs/{JobId}/manifest-summary", objects.manifest_summary},
        {verb::get, "/_mock/images", objects.image},
        {verb::post, "/_mock/clock/advance", jobs.advance_clock},
        {verb::get, "/_mock/faults", faults.list},
        {verb::delete_, "/_mock/faults", faults.clear},
        {verb::post, "/_mock/faults", faults.add},
        {verb::delete_, "/_mock/faults/{Id}", faults.remove},
        {verb::delete_, "/_mock/requests", requests.clear},
        {verb::get, "/_mock/requests", requests.list},
        {verb::get, "/_mock/requests/count", requests.count},
        {verb::get, "/_mock/moderation-rules", rules.list},
        {verb::delete_, "/_mock/moderation-rules", rules.clear},
        {verb::post, "/_mock/moderation-rules", rules.set},
        {verb::get, "/_mock/ui", ui.page},
        {verb::get, "/_mock/ui/{Asset}", ui.asset},
    });
}

}  // namespace rekmock::control
