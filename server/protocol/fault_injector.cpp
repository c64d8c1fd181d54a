#include "fault_injector.hpp"

#include <array>
#include <cmath>

namespace rekmock::protocol {
namespace {

// Apart from the probability's stream, so that giving a rule a latency profile never changes
// which calls it fires on.
constexpr std::uint64_t kLatencyStream = 0x6c6174656e637921ULL;  // "latency!"

}  // namespace

std::chrono::milliseconds LatencyProfile::at(double unit) const {
    const std::array<std::pair<double, double>, 5> points{{
        {0.0, 0.0},
        {0.5, static_cast<double>(p50.count())},
        {0.95, static_cast<double>(p95.count())},
        {0.99, static_cast<double>(p99.count())},
        {1.0, static_cast<double>(max.count())},
    }};
    for (std::size_t i = 1; i < points.size(); ++i) {
        const auto [u1, v1] = points[i];
        if (unit < u1 || i + 1 == points.size()) {
            const auto [u0, v0] = points[i - 1];
            const double value = v0 + (v1 - v0) * (unit - u0) / (u1 - u0);
            return std::chrono::milliseconds(std::llround(value));
        }
    }
    return max;
}

std::string FaultInjector::add(const FaultRule& rule) {
    const Timestamp now = clock_.now();
    std::lock_guard lock(mutex_);
    std::string id = "fault-" + std::to_string(next_id_++);
    Entry entry{FaultRuleState{id, rule, 0, std::nullopt}, service::SplitMix64(rule.seed),
                service::SplitMix64(rule.seed ^ kLatencyStream), std::nullopt};
    if (rule.lifetime) {
        entry.state.expires = now + *rule.lifetime;
    }
    if (rule.rate) {
        entry.bucket.emplace(rule.rate->rate_per_second, rule.rate->burst,
                             TokenBucket::Clock::now());
    }
    rules_.push_back(std::move(entry));
    armed_.store(true, std::memory_order_release);
    return id;
}

void FaultInjector::expire() const {
    if (rules_.empty()) {
        return;
    }
    const Timestamp now = clock_.now();
    std::erase_if(rules_, [&](const Entry& entry) {
        return entry.state.expires && *entry.state.expires <= now;
    });
    armed_.store(!rules_.empty(), std::memory_order_release);
}

std::vector<FaultRuleState> FaultInjector::list() const {
    std::lock_guard lock(mutex_);
    expire();
    std::vector<FaultRuleState> states;
    for (const auto& entry : rules_) {
        states.push_back(entry.state);
    }
    return states;
}

bool FaultInjector::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    expire();
    const auto before = rules_.size();
    std::erase_if(rules_, [&](const Entry& entry) { return entry.state.id == id; });
    armed_.store(!rules_.empty(), std::memory_order_release);
    return rules_.size() != before;
}

std::size_t FaultInjector::clear() {
    std::lock_guard lock(mutex_);
    expire();
    const std::size_t removed = rules_.size();
    rules_.clear();
    armed_.store(false, std::memory_order_release);
    return removed;
}

std::optional<Fault> FaultInjector::decide(const std::string& operation) {
    // Every AWS call asks, from every I/O thread: with no rule, none of them takes the lock.
    if (!armed_.load(std::memory_order_acquire)) {
        return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    expire();
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
        FaultRule& rule = it->state.rule;
        if (rule.operation != "*" && rule.operation != operation) {
            continue;
        }
        if (rule.count) {
            if (*rule.count <= 0) {
                continue;
            }
            --*rule.count;
        } else if (it->bucket) {
            // Calls within the rate pass: the rule fires on those over it.
            if (it->bucket->take(TokenBucket::Clock::now())) {
                continue;
            }
        } else if (it->random.unit() >= rule.probability.value_or(1.0)) {
            continue;
        }
        ++it->state.fired;
        Fault fault{rule.error, rule.latency_profile
                                    ? rule.latency_profile->at(it->latency_random.unit())
                                    : rule.latency};
        if (rule.count && *rule.count == 0) {
            rules_.erase(it);
            armed_.store(!rules_.empty(), std::memory_order_release);
        }
        return fault;
    }
    return std::nullopt;
}

}  // namespace rekmock::protocol
