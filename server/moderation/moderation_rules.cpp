#include "moderation_rules.hpp"

#include "glob_pattern.hpp"

namespace rekmock::moderation {

bool ModerationRule::matches_source(std::string_view source_ref) const {
    switch (source.kind) {
        case SourceMatch::Kind::Exact:
            return source_ref == source.pattern;
        case SourceMatch::Kind::Prefix:
            return source_ref.starts_with(source.pattern);
        case SourceMatch::Kind::Glob:
            return glob_match(source.pattern, source_ref);
        case SourceMatch::Kind::Any:
            break;
    }
    return true;
}

bool ModerationRule::fits_job(const JobFacts& job) const {
    const auto fits = [](const std::optional<std::string>& pattern,
                         const std::optional<std::string>& value) {
        return !pattern || (value && glob_match(*pattern, *value));
    };
    return fits(job_name, job.job_name) && fits(project_version, job.project_version);
}

}  // namespace rekmock::moderation
