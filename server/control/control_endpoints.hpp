#pragma once

// The control plane's endpoints, one function per method and path, each resource's in a file of
// its own (its handlers private to it), and the one table that routes to them: an endpoint is
// added by its function, its member below and its row (control_endpoints.cpp).

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
Scope body_scope(const ControlState& state, const JsonObject& body);

// The browser view's path, which GET /_mock/health names as "Ui".
inline constexpr std::string_view kUiPath = "/_mock/ui";

// Each resource's endpoints, from the file named for it.
struct HealthEndpoints {
    Endpoint localstack, mock;
};
HealthEndpoints health_endpoints();
struct JobEndpoints {
    Endpoint reset, dump, seed, set_status, set_progress, advance_clock;
};
JobEndpoints job_endpoints();
// A job's outputs and the images its results name.
struct ObjectEndpoints {
    Endpoint results, manifest_summary, image;
};
ObjectEndpoints object_endpoints();
struct FaultEndpoints {
    Endpoint list, add, clear, remove;
};
FaultEndpoints fault_endpoints();
// The request log.
struct RequestEndpoints {
    Endpoint list, count, clear;
};
RequestEndpoints request_endpoints();
// The moderation rules.
struct RuleEndpoints {
    Endpoint list, set, clear;
};
RuleEndpoints rule_endpoints();
// The browser view: static files only. Everything the page shows or does goes through the
// endpoints above, so a test can do it with curl.
struct UiEndpoints {
    Endpoint page, asset;
};
UiEndpoints ui_endpoints();

// Every control endpoint by method and path.
RouteTable<Endpoint> control_routes();

}  // namespace rekmock::control
