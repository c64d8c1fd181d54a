#pragma once

// Throughput quotas, as AWS applies them (--tps, /_mock/quotas): a rate of calls a second for an
// operation, counted per account and region, each with a token bucket of its own. A call over
// the rate is answered ProvisionedThroughputExceededException before it is validated, as an
// injected fault is. Real time, not the lifecycle clock: the SDKs' retries wait in real time.
// Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "scope.hpp"
#include "token_bucket.hpp"

namespace rekmock::protocol {

// The most calls a second a quota (or a rate-limited fault rule) may allow.
inline constexpr double kMaxRatePerSecond = 1'000'000;

struct Quota {
    std::string operation;
    double rate_per_second = 1;
    double burst = 1;  // calls a scope may make at once after a quiet spell; at least 1
    bool operator==(const Quota&) const = default;
};

struct QuotaState {
    Quota quota;
    std::uint64_t throttled = 0;  // calls refused since the quota was set
};

// "OPERATION=N" (--tps) as a quota with a burst of N (at least 1); std::nullopt unless
// OPERATION is one of `operations` and N a number in (0, kMaxRatePerSecond].
std::optional<Quota> parse_quota(std::string_view text,
                                 const std::vector<std::string_view>& operations);

class ThroughputQuotas {
  public:
    // `defaults`: the command line's quotas, which restore_defaults() puts back.
    explicit ThroughputQuotas(std::vector<Quota> defaults = {});

    // Sets (or replaces) the quota of its operation; every scope's bucket starts full.
    void set(const Quota& quota);
    // Removes the quota of `operation`; false if it has none.
    bool remove(std::string_view operation);
    // Removes every quota; returns how many there were.
    std::size_t clear();
    // Back to the command line's quotas, buckets full.
    void restore_defaults();
    // The quotas, by operation.
    std::vector<QuotaState> list() const;
    // Whether `scope` may call `operation` at `now`: takes a token from its bucket, or counts a
    // refusal when none is left. Operations without a quota always may.
    bool admit(const Scope& scope, std::string_view operation,
               TokenBucket::Clock::time_point now = TokenBucket::Clock::now());

  private:
    struct Entry {
        QuotaState state;
        std::map<std::tuple<std::string, std::string>, TokenBucket> buckets;  // by scope
    };
    // Whether any quota is set, read without the lock: most servers have none, and every call
    // asks.
    std::atomic<bool> active_{false};
    const std::vector<Quota> defaults_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> quotas_;  // by operation
};

}  // namespace rekmock::protocol
