#pragma once

// The first-match search of one job's rules, indexed, so that a line's cost does not grow with
// the number of rules: exact SourceRef rules by hash, SourceRefPrefix rules by hash per prefix
// length, and only the SourceRefGlob and catch-all rules tried in turn. The job's JobName and
// ProjectVersion are known once, so rules that cannot fit the job are left out up front. The
// answer is the one the rules' order gives (the first rule that fits the job and matches the
// source-ref wins).

#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "moderation_rules.hpp"

namespace rekmock::moderation {

class RuleIndex {
  public:
    // Indexes `rules` for the images of the job `job`.
    RuleIndex(ModerationRules rules, const JobFacts& job);
    // The map keys view the rules' strings, which a copy would not carry along.
    RuleIndex(const RuleIndex&) = delete;
    RuleIndex& operator=(const RuleIndex&) = delete;
    RuleIndex(RuleIndex&&) noexcept = default;
    RuleIndex& operator=(RuleIndex&&) noexcept = default;
    ~RuleIndex() = default;

    // The script of the first rule for the image `source_ref`, or nullptr when none is.
    const ImageScript* match(std::string_view source_ref) const;

  private:
    // A pattern's rule: the first, in the rules' order, of those with that pattern.
    using FirstRule = std::unordered_map<std::string_view, std::size_t>;

    std::vector<ModerationRule> rules_;
    FirstRule exact_;
    std::vector<std::pair<std::size_t, FirstRule>> prefixes_;  // by prefix length, ascending
    std::vector<std::size_t> scanned_;                         // glob and catch-all rules, in order
};

}  // namespace rekmock::moderation
