#pragma once

// `rekognition-mock --healthcheck`: probes a running server and exits 0 if it answers, 1 if not.
// For container HEALTHCHECKs in images that have no shell or curl.

#include <string>

namespace rekmock {

// Sends GET /_mock/ping (front_door.hpp: no AWS operation, so it is not logged, faulted or
// authenticated) to host:port within two seconds; true on HTTP 200. A wildcard host (0.0.0.0,
// ::) is probed on loopback.
bool probe_health(const std::string& host, unsigned short port);

}  // namespace rekmock
