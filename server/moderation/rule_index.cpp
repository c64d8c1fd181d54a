#include "rule_index.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace rekmock::moderation {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

}  // namespace

RuleIndex::RuleIndex(ModerationRules rules, const JobFacts& job) : rules_(std::move(rules.rules)) {
    std::map<std::size_t, FirstRule> prefixes;
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        const ModerationRule& rule = rules_[i];
        if (!rule.fits_job(job)) {
            continue;
        }
        const std::string_view pattern = rule.source.pattern;
        switch (rule.source.kind) {
            case SourceMatch::Kind::Exact:
                exact_.try_emplace(pattern, i);
                break;
            case SourceMatch::Kind::Prefix:
                prefixes[pattern.size()].try_emplace(pattern, i);
                break;
            case SourceMatch::Kind::Glob:
            case SourceMatch::Kind::Any:
                scanned_.push_back(i);
                break;
        }
    }
    prefixes_.assign(std::make_move_iterator(prefixes.begin()),
                     std::make_move_iterator(prefixes.end()));
}

const ImageScript* RuleIndex::match(std::string_view source_ref) const {
    std::size_t first = kNone;
    if (const auto found = exact_.find(source_ref); found != exact_.end()) {
        first = found->second;
    }
    for (const auto& [length, rules] : prefixes_) {
        if (length > source_ref.size()) {
            break;
        }
        if (const auto found = rules.find(source_ref.substr(0, length)); found != rules.end()) {
            first = std::min(first, found->second);
        }
    }
    // Only a rule before the best indexed one can still win.
    for (const std::size_t i : scanned_) {
        if (i >= first) {
            break;
        }
        if (rules_[i].matches_source(source_ref)) {
            first = i;
            break;
        }
    }
    return first == kNone ? nullptr : &rules_[first].script;
}

}  // namespace rekmock::moderation
