#include "moderation_rules.hpp"

#include "glob_pattern.hpp"

namespace rekmock::moderation {

bool ModerationRule::matches(std::string_view source_ref, const JobFacts& job) const {
    switch (source.kind) {
        case SourceMatch::Kind::Any:
            break;
        case SourceMatch::Kind::Exact:
            if (source_ref != source.pattern) {
                return false;
            }
            break;
        case SourceMatch::Kind::Prefix:
            if (!source_ref.starts_with(source.pattern)) {
                return false;
            }
            break;
        case SourceMatch::Kind::Glob:
            if (!glob_match(source.pattern, source_ref)) {
                return false;
            }
            break;
    }
    const auto fits = [](const std::optional<std::string>& pattern,
                         const std::optional<std::string>& value) {
        return !pattern || (value && glob_match(*pattern, *value));
    };
    return fits(job_name, job.job_name) && fits(project_version, job.project_version);
}

const ImageScript* ModerationRules::match(std::string_view source_ref, const JobFacts& job) const {
    for (const auto& rule : rules) {
        if (rule.matches(source_ref, job)) {
            return &rule.script;
        }
    }
    return nullptr;
}

}  // namespace rekmock::moderation
