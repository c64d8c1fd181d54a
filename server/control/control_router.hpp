#pragma once

// The control plane for tests: JSON over HTTP under /_mock/ on the API's own port (a path the
// AWS JSON protocol, always POST /, can never use), plus LocalStack's /_localstack/health for
// tools that probe it. Unauthenticated by design; --no-control-plane turns it off.

#include <string_view>

#include "control_endpoints.hpp"
#include "http_types.hpp"

namespace rekmock::control {

class ControlRouter {
  public:
    // All collaborators must outlive the router.
    ControlRouter(MockControl& control, ServerInfo info);

    // True for the request targets this router serves (/_mock/..., /_localstack/health).
    static bool claims(std::string_view target) noexcept;

    // The JSON response to one control request, or, when an endpoint would block an I/O thread
    // (would_block.hpp), how it comes later; never throws.
    net::HandlerResult serve(const net::HttpRequest& request) noexcept;

  private:
    // The endpoint's reply to `request`, or its error as a reply.
    Reply reply_to(const net::HttpRequest& request);

    ControlState state_;
    RouteTable<Endpoint> routes_;
};

}  // namespace rekmock::control
