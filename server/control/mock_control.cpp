#include "mock_control.hpp"

#include <algorithm>
#include <limits>

#include "lifecycle.hpp"

namespace rekmock::control {

using service::ByteStream;
using service::ImageStream;
using service::shown_at;

MockControl::MockControl(storage::JobStore& store, service::SteerableClock& clock,
                         service::FixtureSource& fixtures, protocol::FaultInjector& faults,
                         protocol::RequestJournal& journal, moderation::RuleBook* rules,
                         service::JobWorkScheduler* work, service::ObjectViewer* objects,
                         service::UsageMeter* usage, protocol::ThroughputQuotas* quotas)
    : store_(store),
      clock_(clock),
      fixtures_(fixtures),
      faults_(faults),
      journal_(journal),
      rules_(rules),
      work_(work),
      objects_(objects),
      usage_(usage),
      quotas_(quotas) {
    // A full reset is a return to the baseline: no fault rules, no request history.
    on_full_reset([&faults] { faults.clear(); });
    on_full_reset([&journal] { journal.clear(); });
    if (quotas != nullptr) {
        on_full_reset([quotas] { quotas->restore_defaults(); });
    }
}

bool MockControl::set_quota(const protocol::Quota& quota) {
    if (quotas_ == nullptr) {
        return false;
    }
    quotas_->set(quota);
    return true;
}

ResetResult MockControl::reset(const std::optional<Scope>& scope, bool reload_fixtures) {
    ResetResult result;
    if (reload_fixtures) {
        const auto loaded = fixtures_.reload(scope);
        result = ResetResult{loaded.jobs_deleted, loaded.jobs_loaded};
    } else {
        result.jobs_deleted = store_.erase(scope);
        fixtures_.clear(scope);
    }
    if (usage_ != nullptr) {
        usage_->clear(scope);
    }
    if (!scope) {
        clock_.reset();
        for (const auto& hook : full_reset_hooks_) {
            hook();
        }
    }
    return result;
}

std::vector<MediaAnalysisJob> MockControl::dump(const Scope& scope) {
    auto jobs = store_.list_page(std::nullopt, std::numeric_limits<std::int32_t>::max(), scope);
    const Timestamp now = clock_.now();
    for (auto& job : jobs) {
        job = shown_at(work_, job, now);
    }
    return jobs;
}

namespace {

JobView view_of(MediaAnalysisJob shown, const MediaAnalysisJob& stored) {
    return {std::move(shown), stored.schedule,
            stored.schedule ? stored.completion_timestamp : std::nullopt};
}

}  // namespace

JobPage MockControl::one(const Scope& scope, const std::string& job_id,
                         const std::function<bool(const MediaAnalysisJob&)>& keep) {
    JobPage page;
    if (const auto stored = store_.find(scope, job_id)) {
        MediaAnalysisJob shown = shown_at(work_, *stored, clock_.now());
        if (keep(shown)) {
            page.jobs.push_back(view_of(std::move(shown), *stored));
        }
    }
    return page;
}

JobPage MockControl::page(const Scope& scope, const std::optional<JobCursor>& after,
                          std::size_t limit,
                          const std::function<bool(const MediaAnalysisJob&)>& keep) {
    // One more than asked, to know whether a next page exists; batches of 100 to 1000 rows, so
    // a selective filter takes few queries and a whole scope is never held twice.
    const std::size_t wanted = std::max<std::size_t>(limit, 1) + 1;
    const std::size_t batch = std::clamp<std::size_t>(wanted, 100, 1000);
    const Timestamp now = clock_.now();
    JobPage page;
    std::optional<JobCursor> cursor = after;
    while (page.jobs.size() < wanted) {
        const auto stored = store_.list_page(cursor, batch, scope);
        for (const auto& job : stored) {
            cursor = JobCursor{job.creation_timestamp, job.job_id};
            MediaAnalysisJob shown = shown_at(work_, job, now);
            if (!keep(shown)) {
                continue;
            }
            page.jobs.push_back(view_of(std::move(shown), job));
            if (page.jobs.size() == wanted) {
                break;
            }
        }
        if (stored.size() < batch) {
            break;
        }
    }
    if (page.jobs.size() == wanted) {
        page.jobs.pop_back();
        const MediaAnalysisJob& last = page.jobs.back().shown;
        page.next = JobCursor{last.creation_timestamp, last.job_id};
    }
    return page;
}

std::optional<MediaAnalysisJob> MockControl::set_status(
    const Scope& scope, const std::string& job_id, MediaAnalysisJobStatus status,
    const std::optional<MediaAnalysisJobFailureDetails>& failure) {
    if (work_ != nullptr) {
        // Before the steer is stored: served again on a worker, it must not steer twice.
        work_->require_worker();
    }
    const Timestamp now = clock_.now();
    // One transaction: a Get counting polls or work finishing between a read and a write here
    // would otherwise be overwritten by the steer's copy of the job.
    const auto steered = store_.update(scope, job_id, [&](const MediaAnalysisJob& stored) {
        return std::optional(service::steer_job(stored, status, failure, now));
    });
    if (!steered) {
        return std::nullopt;
    }
    return steered->outputs_pending ? shown_at(work_, *steered, now) : *steered;
}

std::optional<MediaAnalysisJob> MockControl::pace_by_polls(const Scope& scope,
                                                           const std::string& job_id,
                                                           std::int64_t polls_per_state) {
    const Timestamp now = clock_.now();
    bool paceable = true;
    auto job = store_.update(scope, job_id, [&](const MediaAnalysisJob& stored) {
        auto paced = service::pace_by_polls(stored, polls_per_state, now);
        paceable = paced.has_value();
        return paced;
    });
    if (job && !paceable) {
        throw NotPaceable("job '" + job_id + "' shows " +
                          std::string(to_string(service::job_at(*job, now).status)) +
                          " and has no lifecycle left to pace: only a started job before its "
                          "terminal state moves by polls");
    }
    return job ? std::optional(service::job_at(*job, now)) : std::nullopt;
}

namespace {

// A stream whose failures say what was being read, as a failure to open it does: the control
// plane answers both alike.
class ExplainedStream final : public ByteStream {
  public:
    ExplainedStream(std::unique_ptr<ByteStream> bytes, std::string what)
        : bytes_(std::move(bytes)), what_(std::move(what)) {}
    std::uint64_t size() const noexcept override { return bytes_->size(); }
    std::size_t read(char* out, std::size_t capacity) override {
        try {
            return bytes_->read(out, capacity);
        } catch (const std::exception& e) {
            throw OutputUnavailable(what_ + e.what());
        }
    }

  private:
    std::unique_ptr<ByteStream> bytes_;
    std::string what_;
};

}  // namespace

std::unique_ptr<ByteStream> MockControl::output(const Scope& scope, const std::string& job_id,
                                                JobOutput which) {
    const auto stored = store_.find(scope, job_id);
    if (!stored) {
        throw OutputUnavailable("no job '" + job_id + "' in account " + scope.account + ", " +
                                scope.region);
    }
    const Timestamp now = clock_.now();
    const MediaAnalysisJob job = shown_at(work_, *stored, now);
    const char* name = which == JobOutput::Results ? "Results" : "ManifestSummary";
    const std::optional<S3Object> object =
        which == JobOutput::Results
            ? (job.results ? job.results->s3_object : std::nullopt)
            : (job.manifest_summary ? job.manifest_summary->s3_object : std::nullopt);
    if (!object) {
        throw OutputUnavailable("job '" + job_id + "' shows no " + name + " (status " +
                                std::string(to_string(job.status)) + ")");
    }
    service::ObjectViewer& objects = viewer("jobs name their outputs but write none");
    const std::string what = std::string("cannot read the job's ") + name + ": ";
    try {
        return std::make_unique<ExplainedStream>(objects.open_output(*object), what);
    } catch (const std::exception& e) {
        throw OutputUnavailable(what + e.what());
    }
}

ImageStream MockControl::image(const S3Object& object) {
    service::ObjectViewer& objects = viewer("there are no images");
    const std::string what = "cannot show the image: ";
    try {
        ImageStream image = objects.open_image(object);
        image.bytes = std::make_unique<ExplainedStream>(std::move(image.bytes), what);
        return image;
    } catch (const std::exception& e) {
        throw OutputUnavailable(what + e.what());
    }
}

service::ObjectViewer& MockControl::viewer(const char* nothing) {
    if (objects_ == nullptr) {
        throw OutputUnavailable(
            std::string("no object store is configured (--s3-dir, --s3-endpoint): ") + nothing);
    }
    if (work_ != nullptr) {
        work_->require_worker();
    }
    return *objects_;
}

std::chrono::milliseconds MockControl::advance_clock(std::chrono::milliseconds by) {
    const auto offset = clock_.advance(by);
    if (work_ != nullptr) {
        work_->wake();
    }
    return offset;
}

std::optional<protocol::FaultRuleState> MockControl::fault(const std::string& id) const {
    for (auto& rule : faults_.list()) {
        if (rule.id == id) {
            return std::move(rule);
        }
    }
    return std::nullopt;
}

std::size_t MockControl::set_rules(const Scope& scope, moderation::ModerationRules rules) {
    const auto before = rules_->rules(scope);
    rules_->set(scope, std::move(rules));
    return before ? before->rules.rules.size() : 0;
}

}  // namespace rekmock::control
