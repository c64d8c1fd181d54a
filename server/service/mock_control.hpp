#pragma once

// What test suites do to the mock beyond the AWS API: reset to a baseline, seed and dump jobs,
// force a job's status, move the lifecycle clock. Typed values only; the control plane's HTTP
// endpoints (control/control_router) are its wire.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clock.hpp"
#include "job_store.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::service {

struct ResetResult {
    std::int64_t jobs_deleted = 0;
    std::int64_t jobs_loaded = 0;
};

// The jobs reset re-applies (the fixture files the server started with, read again), or throws.
using BaselineLoader = std::function<std::vector<MediaAnalysisJob>()>;

class MockControl {
  public:
    // The store and clock must outlive the control. The baseline is loaded only when a reset
    // asks for it, so a large fixture set does not stay in memory twice (store and here).
    MockControl(storage::JobStore& store, SteerableClock& clock, BaselineLoader baseline);

    // Deletes the jobs and idempotency tokens of `scope` (every scope if none), then, when
    // `reload_fixtures`, stores the baseline jobs of that scope (of every scope) again. A
    // baseline that fails to load throws before anything is deleted. A reset of every scope is
    // a return to the baseline: the clock goes back to real time and the full-reset hooks run.
    ResetResult reset(const std::optional<Scope>& scope, bool reload_fixtures);

    // Adds what a reset of every scope also clears (state kept outside the service layer, such
    // as fault rules and the request journal); hooks run in the order added.
    void on_full_reset(std::function<void()> hook) { full_reset_hooks_.push_back(std::move(hook)); }

    // Stores `jobs` (already validated), replacing jobs with the same JobId; all or nothing.
    void seed(const std::vector<MediaAnalysisJob>& jobs);

    // Every job of `scope` as the API shows it now, in list order.
    std::vector<MediaAnalysisJob> dump(const Scope& scope);

    // Forces the job to `status` from now on (see steer_job); std::nullopt if `scope` has no
    // job `job_id`.
    std::optional<MediaAnalysisJob> set_status(
        const Scope& scope, const std::string& job_id, MediaAnalysisJobStatus status,
        const std::optional<MediaAnalysisJobFailureDetails>& failure);

    // Moves the lifecycle clock forward; returns the total offset from the system clock.
    std::chrono::milliseconds advance_clock(std::chrono::milliseconds by);
    // Puts the lifecycle clock back on the system clock.
    void reset_clock() { clock_.reset(); }

    // Jobs per scope.
    std::vector<std::pair<Scope, std::int64_t>> job_counts() { return store_.count_by_scope(); }

    const SteerableClock& clock() const noexcept { return clock_; }

  private:
    storage::JobStore& store_;
    SteerableClock& clock_;
    BaselineLoader baseline_;
    std::vector<std::function<void()>> full_reset_hooks_;
};

}  // namespace rekmock::service
