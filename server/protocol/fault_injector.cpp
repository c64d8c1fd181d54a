#include "fault_injector.hpp"

namespace rekmock::protocol {

std::string FaultInjector::add(const FaultRule& rule) {
    std::lock_guard lock(mutex_);
    std::string id = "fault-" + std::to_string(next_id_++);
    rules_.push_back(Entry{FaultRuleState{id, rule, 0}, service::SplitMix64(rule.seed)});
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
        } else if (it->random.unit() >= rule.probability.value_or(1.0)) {
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
