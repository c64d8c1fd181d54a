#pragma once

// Rules that script each image's moderation result: the first rule whose match fits the image's
// source-ref and the job gives the image's ImageScript. moderation_rules_json.hpp reads and
// writes them; rule_book.hpp keeps them per account and region.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "image_script.hpp"

namespace rekmock::moderation {

// Which source-refs a rule is for.
struct SourceMatch {
    enum class Kind { Any, Exact, Prefix, Glob };
    Kind kind = Kind::Any;
    std::string pattern;  // unused for Any
    bool operator==(const SourceMatch&) const = default;
};

// What a rule can know of the job an image belongs to.
struct JobFacts {
    std::optional<std::string> job_name;
    std::optional<std::string> project_version;  // the adapter, when the job names one
};

struct ModerationRule {
    SourceMatch source;
    // Globs (glob_pattern.hpp) the job's JobName and ProjectVersion must match; a job without
    // the member never matches a rule that names it.
    std::optional<std::string> job_name;
    std::optional<std::string> project_version;
    ImageScript script;
    bool operator==(const ModerationRule&) const = default;

    // A rule is for an image when both hold (rule_index.hpp applies them).
    // Whether its JobName and ProjectVersion conditions hold for the job `job`.
    bool fits_job(const JobFacts& job) const;
    // Whether its source condition holds for the image `source_ref`.
    bool matches_source(std::string_view source_ref) const;
};

// The rules of one account and region, in the order they are tried (rule_index.hpp finds the
// first that matches).
struct ModerationRules {
    std::vector<ModerationRule> rules;
    bool operator==(const ModerationRules&) const = default;
};

}  // namespace rekmock::moderation
