#pragma once

// The liveness probe, shared by the server that answers it (front_door.hpp) and the client that
// sends it (healthcheck.hpp), so that neither includes the other.

#include <string_view>

namespace rekmock {

// The liveness probe's path (GET); its answer is {"Status": "ready"}.
inline constexpr std::string_view kPingPath = "/_mock/ping";

}  // namespace rekmock
