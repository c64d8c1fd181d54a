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

Scope body_scope(const ControlState& state, const json::Members& body) {
    return scope_named(state, body.string("AccountId"), body.string("Region"));
}

RouteTable<Endpoint> control_routes() {
    using boost::beast::http::verb;
    // Where a path takes several methods, a wrong one is told to use the last row's.
    return RouteTable<Endpoint>({
        {verb::get, "/_localstack/health", &localstack_health},
        {verb::get, "/_mock/health", &mock_health},
        {verb::post, "/_mock/reset", &reset},
        {verb::get, "/_mock/jobs", &dump_jobs},
        {verb::post, "/_mock/jobs", &seed_jobs},
        {verb::post, "/_mock/jobs/{JobId}/status", &set_job_status},
        {verb::post, "/_mock/jobs/{JobId}/progress", &set_job_progress},
        {verb::get, "/_mock/jobs/{JobId}/results", &job_results},
        {verb::get, "/_mock/jobs/{JobId}/manifest-summary", &job_manifest_summary},
        {verb::get, "/_mock/images", &image},
        {verb::post, "/_mock/clock/advance", &advance_clock},
        {verb::get, "/_mock/faults", &list_faults},
        {verb::delete_, "/_mock/faults", &clear_faults},
        {verb::post, "/_mock/faults", &add_fault},
        {verb::delete_, "/_mock/faults/{Id}", &remove_fault},
        {verb::get, "/_mock/quotas", &list_quotas},
        {verb::delete_, "/_mock/quotas", &clear_quotas},
        {verb::post, "/_mock/quotas", &set_quota},
        {verb::delete_, "/_mock/quotas/{Operation}", &remove_quota},
        {verb::delete_, "/_mock/requests", &clear_requests},
        {verb::get, "/_mock/requests", &list_requests},
        {verb::get, "/_mock/requests/count", &count_requests},
        {verb::get, "/_mock/moderation-rules", &list_moderation_rules},
        {verb::delete_, "/_mock/moderation-rules", &clear_moderation_rules},
        {verb::post, "/_mock/moderation-rules", &set_moderation_rules},
        {verb::get, "/_mock/usage", &usage},
        {verb::get, "/_mock/ui", &ui_page},
        {verb::get, "/_mock/ui/{Asset}", &ui_asset},
        {verb::get, "/_mock/openapi.json", &openapi_document},
    });
}

}  // namespace rekmock::control
