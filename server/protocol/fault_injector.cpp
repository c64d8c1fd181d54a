#include "fault_injector.hpp"

namespace rekmock::protocol {
namespace {

// SplitMix64 step: a fully specified generator, so a seed gives the same draws everywhere.
std::uint64_t next_random(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// A uniform draw in [0, 1) from the top 53 bits.
double next_unit(std::uint64_t& state) {
    return static_cast<double>(next_random(state) >> 11) * 0x1.0p-53;
}

}  // namespace

std::string FaultInjector::add(const FaultRule& rule) {
    std::lock_guard lock(mutex_);
    std::string id = "fault-" + std::to_string(next_id_++);
    rules_.push_back(Entry{FaultRuleState{id, rule, 0}, rule.seed});
    return id;
}

std::vector<FaultRuleState> FaultInjector::list() const {
    std::lock_guard lock(mutex_);
    std::vector<FaultRuleState> states;
    for (const auto& entry : rules_) {
        states.push_back(entry.state);
    }
    return states;
}

bool FaultInjector::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto before = rules_.size();
    std::erase_if(rules_, [&](const Entry& entry) { return entry.state.id == id; });
    return rules_.size() != before;
}

void FaultInjector::clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
}

std::optional<Fault> FaultInjector::decide(const std::string& operation) {
    std::lock_guard lock(mutex_);
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
        } else if (next_unit(it->random_state) >= rule.probability.value_or(1.0)) {
            continue;
        }
        ++it->state.fired;
        Fault fault{rule.error, rule.latency};
        if (rule.count && *rule.count == 0) {
            rules_.erase(it);
        }
        return fault;
    }
    return std::nullopt;
}

}  // namespace rekmock::protocol
