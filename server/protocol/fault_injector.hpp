#pragma once

// Faults a test asks for: rules that make AWS operations answer an error, or answer late, so
// that clients' retry and timeout logic can be exercised. Injected errors travel the same path as
// real ones (a ServiceError mapped in error_response.cpp), so they are indistinguishable on the
// wire. Thread-safe.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "service_error.hpp"
#include "split_mix64.hpp"

namespace rekmock::protocol {

struct FaultRule {
    std::string operation = "*";              // an operation name, or "*" for every one
    std::optional<service::ErrorKind> error;  // none: latency only
    std::chrono::milliseconds latency{0};
    std::optional<std::int64_t> count;  // fire on the next `count` matching calls...
    std::optional<double> probability;  // ...or on each with this probability (0..1]
    std::uint64_t seed = 0;             // makes the probability draws repeatable
};

struct FaultRuleState {
    std::string id;
    FaultRule rule;
    std::int64_t fired = 0;
};

struct Fault {
    std::optional<service::ErrorKind> error;
    std::chrono::milliseconds latency{0};
};

class FaultInjector {
  public:
    // Adds a rule after the existing ones; returns its id ("fault-1", "fault-2", ...).
    std::string add(const FaultRule& rule);
    // Every rule still active, in the order they are tried.
    std::vector<FaultRuleState> list() const;
    // Removes one rule; false if there is none with that id.
    bool remove(const std::string& id);
    // Removes every rule.
    void clear();
    // The fault for one call of `operation`: the first matching rule that fires. A rule whose
    // count is spent is removed.
    std::optional<Fault> decide(const std::string& operation);

  private:
    struct Entry {
        FaultRuleState state;
        service::SplitMix64 random;
    };
    mutable std::mutex mutex_;
    std::vector<Entry> rules_;
    std::uint64_t next_id_ = 1;
};

}  // namespace rekmock::protocol
