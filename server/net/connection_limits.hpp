#pragma once

// Bounds on every message and connection, so no client can hold resources indefinitely.

#include <chrono>
#include <cstdint>

namespace rekmock::net {

struct ConnectionLimits {
    std::uint64_t body_limit = 1024 * 1024;    // bytes; AWS requests here are a few hundred
    std::uint32_t header_limit = 16 * 1024;    // bytes, request line and headers together
    std::chrono::seconds request_timeout{30};  // to receive one whole request once it starts
    std::chrono::seconds idle_timeout{60};     // keep-alive wait for the next request
    // Open connections at most; further clients wait in the listen backlog until one closes.
    std::size_t max_connections = 4096;
};

}  // namespace rekmock::net
