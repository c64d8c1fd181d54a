#include "usage_meter.hpp"

namespace rekmock::service {

void UsageMeter::count_call(const Scope& scope, std::string_view operation, bool error) {
    const std::lock_guard lock(mutex_);
    auto& calls = scopes_[scope].calls;
    auto found = calls.find(operation);
    if (found == calls.end()) {
        found = calls.emplace(std::string(operation), CallCount{}).first;
    }
    ++found->second.calls;
    found->second.errors += error ? 1 : 0;
}

void UsageMeter::count_work(const Scope& scope, const std::string& job_id,
                            std::uint64_t images_processed, std::uint64_t lines_refused) {
    const std::lock_guard lock(mutex_);
    auto& usage = scopes_[scope];
    usage.images_processed += images_processed;
    usage.lines_refused += lines_refused;
    usage.jobs.push_back({job_id, images_processed, lines_refused});
}

ScopeUsage UsageMeter::of(const Scope& scope) const {
    const std::lock_guard lock(mutex_);
    const auto found = scopes_.find(scope);
    return found == scopes_.end() ? ScopeUsage{} : found->second;
}

void UsageMeter::clear(const std::optional<Scope>& scope) {
    const std::lock_guard lock(mutex_);
    if (scope) {
        scopes_.erase(*scope);
    } else {
        scopes_.clear();
    }
}

}  // namespace rekmock::service
