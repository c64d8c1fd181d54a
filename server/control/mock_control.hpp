#pragma once

// What test suites do to the mock beyond the AWS API: reset to a baseline, seed and dump jobs,
// force a job's status, move the lifecycle clock, show a job's outputs, and keep the fault rules,
// the request log and the moderation rules. Typed values only; the control plane's HTTP endpoints
// (control_endpoints.hpp) are its wire and act on nothing else. It sits in the control layer,
// not the service, because fault rules and the request log are the protocol layer's and the
// rules the moderation layer's, which the service below them cannot name: from here every
// import points down a layer.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clock.hpp"
#include "fault_injector.hpp"
#include "fixture_source.hpp"
#include "job_store.hpp"
#include "job_work_scheduler.hpp"
#include "media_analysis_job.hpp"
#include "object_viewer.hpp"
#include "request_journal.hpp"
#include "rule_book.hpp"
#include "throughput_quotas.hpp"
#include "usage_meter.hpp"

namespace rekmock::control {

// Which of a job's output objects.
enum class JobOutput { Results, ManifestSummary };

// Why a job's output cannot be shown: no such job, no such output yet, no object store, or the
// object store cannot read it.
class OutputUnavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A job as the API shows it now and, for a started job on its schedule, what the lifecycle
// will do, which the API shows only as it happens: when it enters QUEUED and IN_PROGRESS and
// when it completes.
struct JobView {
    MediaAnalysisJob shown;
    std::optional<LifecycleSchedule> schedule;
    std::optional<Timestamp> completes_at;  // set with schedule
};

// A page of a scope's jobs, and where the next one starts.
struct JobPage {
    std::vector<JobView> jobs;
    std::optional<JobCursor> next;  // the last job's key, when more jobs may follow
};

struct ResetResult {
    std::int64_t jobs_deleted = 0;
    std::int64_t jobs_loaded = 0;
};

// A job that cannot progress by polls: it has no lifecycle left.
class NotPaceable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class MockControl {
  public:
    // All must outlive the control; `rules` is given when the server keeps moderation rules,
    // `work` and `objects` when there is an object store (jobs then have work and outputs),
    // `usage` when the server meters what is used, `quotas` when it keeps throughput quotas.
    MockControl(storage::JobStore& store, service::SteerableClock& clock,
                service::FixtureSource& fixtures, protocol::FaultInjector& faults,
                protocol::RequestJournal& journal, moderation::RuleBook* rules = nullptr,
                service::JobWorkScheduler* work = nullptr, service::ObjectViewer* objects = nullptr,
                service::UsageMeter* usage = nullptr, protocol::ThroughputQuotas* quotas = nullptr);

    // Deletes the jobs, idempotency tokens and usage of `scope` (every scope if none) and, when
    // `reload_fixtures`, stores the fixture jobs of that scope (of every scope) again, in one
    // transaction: readers see the jobs before or after, never none. Fixtures that fail to load
    // throw, and nothing changes. A reset of every scope is a return to the baseline: the clock
    // goes back to real time, the quotas to the command line's, and the full-reset hooks run
    // (the first two clear the fault rules and the request log).
    ResetResult reset(const std::optional<Scope>& scope, bool reload_fixtures);

    // Adds what a reset of every scope also clears; hooks run in the order added.
    void on_full_reset(std::function<void()> hook) { full_reset_hooks_.push_back(std::move(hook)); }

    // Stores the jobs of the fixture document `text`, replacing jobs with the same JobId; all or
    // nothing. Returns how many were stored (jobs_loaded) and moved from another scope.
    storage::LoadResult seed(std::string_view text) { return fixtures_.seed(text); }

    // Every job of `scope` as the API shows it now, in list order.
    std::vector<MediaAnalysisJob> dump(const Scope& scope);

    // The job `job_id` of `scope` as a page: empty when the scope has none or `keep` refuses it.
    JobPage one(const Scope& scope, const std::string& job_id,
                const std::function<bool(const MediaAnalysisJob&)>& keep);

    // Up to `limit` (at least 1) of `scope`'s jobs strictly after `after` (from the top if none)
    // that `keep` accepts as the API shows them now, in list order. The store is read in
    // batches, so a filter that matches few jobs reads only as far as it must.
    JobPage page(const Scope& scope, const std::optional<JobCursor>& after, std::size_t limit,
                 const std::function<bool(const MediaAnalysisJob&)>& keep);

    // Forces the job to `status` from now on (see steer_job; SUCCEEDED does pending work before
    // returning, whose outcome may be FAILED); std::nullopt if `scope` has no job `job_id`.
    std::optional<MediaAnalysisJob> set_status(
        const Scope& scope, const std::string& job_id, MediaAnalysisJobStatus status,
        const std::optional<MediaAnalysisJobFailureDetails>& failure);

    // Makes the job move one state per `polls_per_state` Gets from the state it shows now;
    // std::nullopt if `scope` has no job `job_id`; throws NotPaceable for a job with no
    // lifecycle left (loaded, steered or terminal).
    std::optional<MediaAnalysisJob> pace_by_polls(const Scope& scope, const std::string& job_id,
                                                  std::int64_t polls_per_state);

    // The job's Results or ManifestSummary object, as the object store holds it once the job
    // shows it, opened; throws OutputUnavailable. Read it where run_blocking() runs tasks.
    std::unique_ptr<service::ByteStream> output(const Scope& scope, const std::string& job_id,
                                                JobOutput which);

    // A JPEG or PNG image in the object store (a results line's source-ref), for the control
    // plane to show, opened; throws OutputUnavailable (no object store, no such object, not an
    // image).
    service::ImageStream image(const S3Object& object);

    // Runs `task` on a worker thread, where the streams above may be read; without an object
    // store (there are no streams then) or once the work is stopping, destroys it uncalled.
    void run_blocking(std::function<void()> task) {
        if (work_ != nullptr) {
            work_->run_on_pool(std::move(task));
        }
    }

    // Moves the lifecycle clock forward (work that comes due is done as time passing does it);
    // returns the total offset from the system clock.
    std::chrono::milliseconds advance_clock(std::chrono::milliseconds by);

    // Jobs per scope.
    std::vector<std::pair<Scope, std::int64_t>> job_counts() { return store_.count_by_scope(); }

    // Why the store refuses writes (its file is gone), or std::nullopt.
    std::optional<std::string> store_problem() { return store_.problem(); }

    const service::SteerableClock& clock() const noexcept { return clock_; }

    // The fault rules still active, in the order they are tried.
    std::vector<protocol::FaultRuleState> faults() const { return faults_.list(); }
    // The active rule `id`, or std::nullopt (spent, removed, never added).
    std::optional<protocol::FaultRuleState> fault(const std::string& id) const;
    // Adds a rule after the others; returns its id.
    std::string add_fault(const protocol::FaultRule& rule) { return faults_.add(rule); }
    // Removes the rule `id`; false if there is none.
    bool remove_fault(const std::string& id) { return faults_.remove(id); }
    // Removes every rule; returns how many there were.
    std::size_t clear_faults() { return faults_.clear(); }

    // The logged requests after `since` (all when absent) that `filter` matches, the newest
    // `limit`; std::nullopt when the log keeps no request `since`.
    std::optional<protocol::RequestSelection> requests(const protocol::RequestFilter& filter,
                                                       const std::optional<std::string>& since,
                                                       std::size_t limit) const {
        return journal_.select(filter, since, limit);
    }
    // Forgets every logged request.
    void clear_requests() { journal_.clear(); }

    // What `scope` used since the start or its last reset (nothing when usage is not metered).
    service::ScopeUsage usage(const Scope& scope) const {
        return usage_ != nullptr ? usage_->of(scope) : service::ScopeUsage{};
    }

    // The throughput quotas, by operation (none when the server keeps none).
    std::vector<protocol::QuotaState> quotas() const {
        return quotas_ != nullptr ? quotas_->list() : std::vector<protocol::QuotaState>{};
    }
    // Sets the quota of its operation, every scope's bucket full; false when none are kept.
    bool set_quota(const protocol::Quota& quota);
    // Removes the quota of `operation`; false if there is none.
    bool remove_quota(std::string_view operation) {
        return quotas_ != nullptr && quotas_->remove(operation);
    }
    // Removes every quota (the command line's too, until a full reset); returns how many.
    std::size_t clear_quotas() { return quotas_ != nullptr ? quotas_->clear() : 0; }

    // Whether the server keeps moderation rules; the rule methods below need it.
    bool keeps_rules() const noexcept { return rules_ != nullptr; }
    // The moderation rules of `scope`, or nullptr when it has none (or none are kept).
    std::shared_ptr<const moderation::ScopeRules> rules(const Scope& scope) const {
        return rules_ != nullptr ? rules_->rules(scope) : nullptr;
    }
    // Replaces the rules of `scope` (none clears them); returns how many it had.
    std::size_t set_rules(const Scope& scope, moderation::ModerationRules rules);

  private:
    // The object store's view, on a thread that may read it; OutputUnavailable saying there
    // is `nothing` without an object store.
    service::ObjectViewer& viewer(const char* nothing);

    storage::JobStore& store_;
    service::SteerableClock& clock_;
    service::FixtureSource& fixtures_;
    protocol::FaultInjector& faults_;
    protocol::RequestJournal& journal_;
    moderation::RuleBook* rules_;
    service::JobWorkScheduler* work_;
    service::ObjectViewer* objects_;
    service::UsageMeter* usage_;
    protocol::ThroughputQuotas* quotas_;
    std::vector<std::function<void()>> full_reset_hooks_;
};

}  // namespace rekmock::control
