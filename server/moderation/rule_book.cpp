#include "rule_book.hpp"

#include "moderation_rules_json.hpp"

namespace rekmock::moderation {

std::shared_ptr<const ScopeRules> RuleBook::make(ModerationRules rules) {
    auto made = std::make_shared<ScopeRules>();
    made->text = freeze_rules(rules);
    made->rules = std::move(rules);
    return made;
}

std::shared_ptr<const ScopeRules> RuleBook::rules(const Scope& scope) const {
    std::lock_guard lock(mutex_);
    const auto it = book_.find(scope);
    return it == book_.end() ? nullptr : it->second;
}

void RuleBook::set(const Scope& scope, ModerationRules rules) {
    // Made outside the lock: a large set's text takes a while, and Starts read meanwhile.
    auto made = rules.rules.empty() ? nullptr : make(std::move(rules));
    std::lock_guard lock(mutex_);
    if (made) {
        book_[scope] = std::move(made);
    } else {
        book_.erase(scope);
    }
}

void RuleBook::replace_all(const std::vector<std::pair<Scope, ModerationRules>>& all) {
    Book fresh;
    for (const auto& [scope, rules] : all) {
        if (!rules.rules.empty()) {
            fresh[scope] = make(rules);
        }
    }
    std::lock_guard lock(mutex_);
    book_.swap(fresh);
}

std::vector<std::pair<Scope, std::size_t>> RuleBook::counts() const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<Scope, std::size_t>> out;
    for (const auto& [scope, rules] : book_) {
        out.emplace_back(scope, rules->rules.rules.size());
    }
    return out;
}

}  // namespace rekmock::moderation
