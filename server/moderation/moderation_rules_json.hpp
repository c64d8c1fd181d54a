#pragma once

// The moderation rules' JSON form, one format for the --moderation-rules file, the control plane
// and fixture documents (README, "Scripted moderation results"):
//   {"AccountId": "...", "Region": "...", "ModerationRules": [
//     {"SourceRefPrefix": "s3://bucket/guns/", "JobName": "nightly-*",
//      "Labels": [{"Name": "Weapons", "Confidence": 93}],
//      "ContentTypes": [{"Name": "Animated", "Confidence": 88.5}]},
//     {"SourceRef": "s3://bucket/broken.png", "Error": {"Code": "ERROR_X", "Message": "..."}}]}
// Every rule is checked before any is accepted; the first fault is reported with its place
// ("ModerationRules[2].Labels[0].Name") and, for a label, the nearest valid names.

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "moderation_rules.hpp"
#include "moderation_taxonomy.hpp"

namespace rekmock::moderation {

// Rules that cannot be accepted; what() names the rule, the member and the fault.
class RulesError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Most rules one scope holds: enough for any suite, small enough to copy with every job.
inline constexpr std::size_t kMaxRules = 10'000;

// The rules of a "ModerationRules" array, each checked against `taxonomy`; throws RulesError.
ModerationRules parse_moderation_rules(const nlohmann::json& rules,
                                       const ModerationTaxonomy& taxonomy);

// `rules` as the "ModerationRules" array parse_moderation_rules reads back unchanged.
nlohmann::ordered_json rules_to_json(const ModerationRules& rules);

// The rules' frozen form: the text a Start keeps with its job in the store (RuleBook makes it once
// per set) and its completion thaws, so that later changes to the rules never reach the job.
std::string freeze_rules(const ModerationRules& rules);
// The rules `frozen` holds; throws RulesError when they no longer load.
ModerationRules thaw_rules(std::string_view frozen, const ModerationTaxonomy& taxonomy);

// A rules document: its rules and the scope it names, if any.
struct RulesDocument {
    std::optional<std::string> account;
    std::optional<std::string> region;
    ModerationRules rules;
};

// Reads a rules document (the object above); throws RulesError.
RulesDocument parse_rules_document(std::string_view text, const ModerationTaxonomy& taxonomy);

}  // namespace rekmock::moderation
