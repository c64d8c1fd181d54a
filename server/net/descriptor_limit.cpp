#include "descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace rekmock::net {

DescriptorLimit raise_descriptor_limit(std::uint64_t wanted) noexcept {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return {0, 0, 0};
    }
    DescriptorLimit result{limit.rlim_cur, limit.rlim_cur, limit.rlim_max};
    const rlim_t target = std::min<rlim_t>(wanted, limit.rlim_max);
    if (target > limit.rlim_cur) {
        limit.rlim_cur = target;
        if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
            result.soft = target;
        }
    }
    return result;
}

}  // namespace rekmock::net
