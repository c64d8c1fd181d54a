#pragma once

// Bounds on every message and connection, so no client can hold resources indefinitely.

#include <chrono>
#include <cstdint>

namespace rekmock::net {

struct ConnectionLimits {
    std::uint64_t body_limit = 1024 * 1024;  // bytes; AWS requests here are a few hundred
    // Bytes held unparsed at once: the request line and headers together, and so also a
    // chunk-size line with its extensions, or a trailer section.
    std::uint32_t header_limit = 16 * 1024;
    // To receive one whole request: the first from the accept, any later one from its first byte.
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
    // Keep-alive wait for the first byte of the next request.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    // After a response that closes the connection, input still arriving is read and discarded
    // for this long and up to this many bytes (lingering close), so that the kernel does not
    // answer it with a reset that destroys the response before the client reads it.
    std::chrono::milliseconds linger_timeout{std::chrono::seconds(2)};
    std::uint64_t linger_limit = 8 * 1024 * 1024;
    // Open connections at most; further clients wait in the listen backlog until one closes.
    std::size_t max_connections = 4096;
};

}  // namespace rekmock::net
