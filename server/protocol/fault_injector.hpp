#pragma once

// Faults a test asks for: rules that make AWS operations answer an error, or answer late, so
// that clients' retry and timeout logic can be exercised. Injected errors travel the same path as
// real ones (a ServiceError mapped in error_response.cpp), so they are indistinguishable on the
// wire. A rule fires on a count of calls, with a probability, or on the calls over a rate; its
// latency is fixed or drawn from a profile of percentiles; it may expire after a time on the
// lifecycle clock. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "service_error.hpp"
#include "split_mix64.hpp"
#include "token_bucket.hpp"

namespace rekmock::protocol {

// A latency's distribution by its percentiles (each at most the next): a draw is the piecewise
// linear inverse of the CDF through (0, 0), (0.5, p50), (0.95, p95), (0.99, p99), (1, max).
struct LatencyProfile {
    std::chrono::milliseconds p50{0}, p95{0}, p99{0}, max{0};
    bool operator==(const LatencyProfile&) const = default;

    // The latency at `unit` in [0, 1) of the distribution.
    std::chrono::milliseconds at(double unit) const;
};

// How often a rule fires: on the next `count` matching calls, on each with a probability, or on
// the calls over `rate_per_second` (a token bucket holding `burst`).
struct FaultRate {
    double rate_per_second = 1;
    double burst = 1;
    bool operator==(const FaultRate&) const = default;
};

struct FaultRule {
    std::string operation = "*";              // an operation name, or "*" for every one
    std::optional<service::ErrorKind> error;  // none: latency only
    std::chrono::milliseconds latency{0};     // fixed, unless `latency_profile` draws it
    std::optional<std::int64_t> count;        // fire on the next `count` matching calls...
    std::optional<double> probability;        // ...or on each with this probability (0..1]...
    std::uint64_t seed = 0;                   // makes the probability and latency draws repeatable
    std::optional<FaultRate> rate;            // ...or on each over the rate
    std::optional<LatencyProfile> latency_profile;
    // The rule disappears this long after it was added, on the lifecycle clock.
    std::optional<std::chrono::milliseconds> lifetime;
};

struct FaultRuleState {
    std::string id;
    FaultRule rule;
    std::int64_t fired = 0;
    std::optional<Timestamp> expires;  // set for a rule with a lifetime
};

struct Fault {
    std::optional<service::ErrorKind> error;
    std::chrono::milliseconds latency{0};
};

class FaultInjector {
  public:
    // Rules expire by `clock` (the lifecycle's, so advancing it expires them too).
    explicit FaultInjector(const service::Clock& clock = service::system_clock()) : clock_(clock) {}

    // Adds a rule after the existing ones; returns its id ("fault-1", "fault-2", ...).
    std::string add(const FaultRule& rule);
    // Every rule still active (not spent, not expired), in the order they are tried.
    std::vector<FaultRuleState> list() const;
    // Removes one rule; false if there is none with that id.
    bool remove(const std::string& id);
    // Removes every rule; returns how many were active.
    std::size_t clear();
    // The fault for one call of `operation`: the first matching rule that fires. A rule whose
    // count is spent, or whose lifetime is over, is removed.
    std::optional<Fault> decide(const std::string& operation);

  private:
    struct Entry {
        FaultRuleState state;
        service::SplitMix64 random;          // whether it fires (Probability)
        service::SplitMix64 latency_random;  // how late, apart: a profile never changes which fire
        std::optional<TokenBucket> bucket;   // for a rule that fires over a rate
    };
    // Drops the rules whose lifetime is over; the caller holds the lock.
    void expire() const;

    const service::Clock& clock_;
    mutable std::mutex mutex_;
    mutable std::vector<Entry> rules_;
    // Whether rules_ holds a rule; written under the lock, read without it by decide().
    mutable std::atomic<bool> armed_{false};
    std::uint64_t next_id_ = 1;
};

}  // namespace rekmock::protocol
