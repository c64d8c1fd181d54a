#pragma once

// The control plane's endpoints, one function per method and path, and the table that routes to
// them: an endpoint is added by its function and its row (control_endpoints.cpp).

#include <chrono>
#include <optional>
#include <string>

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

// Every control endpoint by method and path.
RouteTable<Endpoint> control_routes();

}  // namespace rekmock::control
