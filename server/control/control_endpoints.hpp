#pragma once

// The control plane's endpoints, one function per method and path, each resource's in a file of
// its own, and the one table that routes to them: an endpoint is added by its function and its
// row (control_endpoints.cpp).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "control_request.hpp"
#include "mock_control.hpp"
#include "object_store.hpp"
#include "route_table.hpp"

namespace rekmock::control {

// What the health endpoint reports besides live counts.
struct ServerInfo {
    std::string version;
    std::string store_location;  // ":memory:" or a file path
    std::string default_account;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::optional<objects::StoreDescription> object_store = {};  // none without an object store
    std::optional<double> job_retention_days = {};  // --job-retention-days; none: jobs stay
};

// What the endpoints act on; all of it must outlive the router.
struct ControlState {
    MockControl& control;
    ServerInfo info;
};

// Serves one request, or throws ControlError.
using Endpoint = Reply (*)(ControlState& state, const ControlRequest& request);

// The scope AccountId and Region name, each defaulting to the server's; a BadRequest when one is
// invalid.
Scope scope_named(const ControlState& state, const std::optional<std::string>& account,
                  const std::optional<std::string>& region);
// scope_named() of a request's query parameters / of its JSON body's members.
Scope query_scope(const ControlState& state, const ControlRequest& request);
Scope body_scope(const ControlState& state, const json::Members& body);

// The browser view's path, which GET /_mock/health names as "Ui".
inline constexpr std::string_view kUiPath = "/_mock/ui";

// Each resource's endpoints, served by the file named for it (their helpers are private to it).
// health_endpoints.cpp
Reply localstack_health(ControlState& state, const ControlRequest& request);
Reply mock_health(ControlState& state, const ControlRequest& request);
// job_endpoints.cpp
Reply reset(ControlState& state, const ControlRequest& request);
Reply dump_jobs(ControlState& state, const ControlRequest& request);
Reply seed_jobs(ControlState& state, const ControlRequest& request);
Reply set_job_status(ControlState& state, const ControlRequest& request);
Reply set_job_progress(ControlState& state, const ControlRequest& request);
Reply advance_clock(ControlState& state, const ControlRequest& request);
// object_endpoints.cpp: a job's outputs and the images its results name
Reply job_results(ControlState& state, const ControlRequest& request);
Reply job_manifest_summary(ControlState& state, const ControlRequest& request);
Reply image(ControlState& state, const ControlRequest& request);
// fault_endpoints.cpp
Reply list_faults(ControlState& state, const ControlRequest& request);
Reply add_fault(ControlState& state, const ControlRequest& request);
Reply clear_faults(ControlState& state, const ControlRequest& request);
Reply remove_fault(ControlState& state, const ControlRequest& request);
// request_endpoints.cpp: the request log
Reply list_requests(ControlState& state, const ControlRequest& request);
Reply count_requests(ControlState& state, const ControlRequest& request);
Reply clear_requests(ControlState& state, const ControlRequest& request);
// rule_endpoints.cpp: the moderation rules
Reply list_moderation_rules(ControlState& state, const ControlRequest& request);
Reply set_moderation_rules(ControlState& state, const ControlRequest& request);
Reply clear_moderation_rules(ControlState& state, const ControlRequest& request);
// quota_endpoints.cpp: throughput quotas
Reply list_quotas(ControlState& state, const ControlRequest& request);
Reply set_quota(ControlState& state, const ControlRequest& request);
Reply clear_quotas(ControlState& state, const ControlRequest& request);
Reply remove_quota(ControlState& state, const ControlRequest& request);
// usage_endpoints.cpp: what a scope used
Reply usage(ControlState& state, const ControlRequest& request);
// ui_endpoints.cpp: the browser view, static files only. Everything the page shows or does goes
// through the endpoints above, so a test can do it with curl.
Reply ui_page(ControlState& state, const ControlRequest& request);
Reply ui_asset(ControlState& state, const ControlRequest& request);
Reply openapi_document(ControlState& state, const ControlRequest& request);

// Every control endpoint by method and path.
RouteTable<Endpoint> control_routes();

}  // namespace rekmock::control
