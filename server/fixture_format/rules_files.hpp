#pragma once

// The --moderation-rules files: rules documents (moderation_rules_json.hpp) read at start-up and
// again by each reset, as the fixture files are, and how the rules a load found are put in force.

#include <optional>
#include <string>
#include <vector>

#include "rule_book.hpp"

namespace rekmock::fixtures {

// One scope's moderation rules, as a document gives them.
using ScopedRules = std::pair<Scope, moderation::ModerationRules>;

// The rules of each file in `paths`, in order, each in the scope it names (else
// `default_scope`); throws FixtureError naming the file, the rule and the fault.
std::vector<ScopedRules> read_rules_files(const std::vector<std::string>& paths,
                                          const Scope& default_scope);

// Puts `found` in force in `book`, the lists of one scope joined in order: for `scope` only
// (no rules there clears it), or for every scope, replacing all (std::nullopt).
void put_in_force(moderation::RuleBook& book, const std::vector<ScopedRules>& found,
                  const std::optional<Scope>& scope);

}  // namespace rekmock::fixtures
