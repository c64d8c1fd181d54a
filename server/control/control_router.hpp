#pragma once

// The control plane for tests: JSON over HTTP under /_mock/ on the API's own port (a path the
// AWS JSON protocol, always POST /, can never use), plus LocalStack's /_localstack/health for
// tools that probe it. Unauthenticated by design; --no-control-plane turns it off.

#include <chrono>
#include <string>
#include <string_view>

#include "fault_injector.hpp"
#include "http_types.hpp"
#include "mock_control.hpp"
#include "request_journal.hpp"

namespace rekmock::control {

// What the health endpoint reports besides live counts.
struct ServerInfo {
    std::string version;
    std::string store_location;  // ":memory:" or a file path
    std::string default_account;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

class ControlRouter {
  public:
    // All collaborators must outlive the router.
    ControlRouter(service::MockControl& control, protocol::FaultInjector& faults,
                  protocol::RequestJournal& journal, ServerInfo info);

    // True for the request targets this router serves (/_mock/..., /_localstack/health).
    static bool claims(std::string_view target) noexcept;

    // The JSON response to one control request; never throws.
    net::HttpResponse handle(const net::HttpRequest& request) noexcept;

  private:
    service::MockControl& control_;
    protocol::FaultInjector& faults_;
    protocol::RequestJournal& journal_;
    ServerInfo info_;
};

}  // namespace rekmock::control
