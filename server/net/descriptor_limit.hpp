#pragma once

// The process's file descriptor limit (RLIMIT_NOFILE), which bounds open connections before
// ConnectionLimits::max_connections can: the usual soft limit is 1024.

#include <cstdint>

namespace rekmock::net {

struct DescriptorLimit {
    std::uint64_t before;  // soft limit found at start-up
    std::uint64_t soft;    // soft limit now
    std::uint64_t hard;    // ceiling an unprivileged process can raise its soft limit to
};

// Raises the soft limit to `wanted` descriptors, or as close as the hard limit allows; never
// lowers it. Never throws (a failed call leaves the limit as it was).
DescriptorLimit raise_descriptor_limit(std::uint64_t wanted) noexcept;

}  // namespace rekmock::net
