#pragma once

// The moderation rules in force, per account and region. Set from the --moderation-rules files
// and fixture documents at start-up and at each reset, and over the control plane; read by each
// Start, which keeps its scope's rules with the job (so what a job writes never changes after it
// started). Thread-safe: readers share an immutable snapshot.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "moderation_rules.hpp"
#include "scope.hpp"

namespace rekmock::moderation {

// One scope's rules and their frozen text (freeze_rules), made once when they are set.
struct ScopeRules {
    ModerationRules rules;
    std::string text;
};

class RuleBook {
  public:
    // The rules of `scope`, or nullptr when it has none.
    std::shared_ptr<const ScopeRules> rules(const Scope& scope) const;
    // Replaces the rules of `scope`; no rules removes the scope's entry.
    void set(const Scope& scope, ModerationRules rules);
    // Replaces every scope's rules with `all`.
    void replace_all(const std::vector<std::pair<Scope, ModerationRules>>& all);
    // Every scope that has rules, with how many, in (account, region) order.
    std::vector<std::pair<Scope, std::size_t>> counts() const;

  private:
    using Book = std::map<Scope, std::shared_ptr<const ScopeRules>>;
    static std::shared_ptr<const ScopeRules> make(ModerationRules rules);

    mutable std::mutex mutex_;
    Book book_;
};

}  // namespace rekmock::moderation
