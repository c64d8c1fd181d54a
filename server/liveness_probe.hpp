#pragma once

// The liveness probe's path (GET), shared by the front door that answers it ({"Status": "ready"})
// and --healthcheck that sends it, so that neither includes the other.

#include <string_view>

namespace rekmock {

inline constexpr std::string_view kPingPath = "/_mock/ping";

}  // namespace rekmock
