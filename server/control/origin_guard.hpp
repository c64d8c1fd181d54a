#pragma once

// The control plane is unauthenticated, and a browser will send a request to it from any page
// it visits: a form on another site can POST to http://localhost:9595/_mock/reset. Browsers
// always send Origin with such a request, and a cross-site request with a JSON Content-Type
// needs a CORS preflight, which the mock never grants. So a state-changing request that carries
// Origin must come from the mock's own origin and be JSON; requests without Origin (curl, the
// SDK helpers, test suites) are served exactly as before.

#include "http_types.hpp"

namespace rekmock::control {

// Throws ControlError (403 CrossOriginRequest, 415 UnsupportedMediaType) for a request other
// than GET, HEAD or OPTIONS whose Origin is not the mock's own or whose Content-Type is not
// application/json; returns for every other request.
void check_browser_request(const net::HttpRequest& request);

}  // namespace rekmock::control
