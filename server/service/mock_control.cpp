#include "mock_control.hpp"

#include <limits>

#include "lifecycle.hpp"

namespace rekmock::service {

MockControl::MockControl(storage::JobStore& store, SteerableClock& clock, FixtureSource& fixtures,
                         JobWorkScheduler* work)
    : store_(store), clock_(clock), fixtures_(fixtures), work_(work) {}

ResetResult MockControl::reset(const std::optional<Scope>& scope, bool reload_fixtures) {
    ResetResult result;
    if (reload_fixtures) {
        const auto loaded = fixtures_.reload(scope);
        result = ResetResult{loaded.jobs_deleted, loaded.jobs_loaded};
    } else {
        result.jobs_deleted = store_.erase(scope);
    }
    if (!scope) {
        clock_.reset();
        for (const auto& hook : full_reset_hooks_) {
            hook();
        }
    }
    return result;
}

storage::LoadResult MockControl::seed(std::string_view text) {
    return fixtures_.seed(text);
}

std::vector<MediaAnalysisJob> MockControl::dump(const Scope& scope) {
    auto jobs = store_.list_page(std::nullopt, std::numeric_limits<std::int32_t>::max(), scope);
    const Timestamp now = clock_.now();
    for (auto& job : jobs) {
        job = job_at(work_ != nullptr ? work_->settle(job, now) : job, now);
    }
    return jobs;
}

std::optional<MediaAnalysisJob> MockControl::set_status(
    const Scope& scope, const std::string& job_id, MediaAnalysisJobStatus status,
    const std::optional<MediaAnalysisJobFailureDetails>& failure) {
    const auto stored = store_.find(scope, job_id);
    if (!stored) {
        return std::nullopt;
    }
    const Timestamp now = clock_.now();
    MediaAnalysisJob steered = steer_job(*stored, status, failure, now);
    store_.put_all({steered});
    if (work_ != nullptr && steered.outputs_pending) {
        return job_at(work_->settle(steered, now), now);
    }
    return steered;
}

std::chrono::milliseconds MockControl::advance_clock(std::chrono::milliseconds by) {
    const auto offset = clock_.advance(by);
    if (work_ != nullptr) {
        work_->wake();
    }
    return offset;
}

}  // namespace rekmock::service
