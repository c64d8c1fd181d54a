#include "lifecycle.hpp"

#include <algorithm>

#include "clock.hpp"
#include "failure_triggers.hpp"

namespace rekmock::service {
namespace {

// A job started at the latest clock, on the longest lifecycle, completes before kNever.
static_assert(kLatestClock + std::chrono::days(3 * 365) < kNever);

// The moderation model the results claim; the version AWS documents for bulk analysis output.
constexpr std::string_view kModerationModelVersion = "7.0";

// Named as AWS names them: prefix "out" gives "out/<JobId>-results.jsonl". A prefix that ends in
// '/' gets no second one, and no prefix puts the files at the top of the bucket.
S3Object output_object(const MediaAnalysisJob& job, std::string_view suffix) {
    std::string key = job.output_config.s3_key_prefix.value_or("");
    if (!key.empty() && !key.ends_with('/')) {
        key.push_back('/');
    }
    key.append(job.job_id).append(suffix);
    return S3Object{job.output_config.s3_bucket, std::move(key), std::nullopt};
}

void succeed(MediaAnalysisJob& job) {
    job.status = MediaAnalysisJobStatus::Succeeded;
    job.failure_details.reset();
    if (!job.results) {
        job.results =
            MediaAnalysisResults{output_object(job, "-results.jsonl"),
                                 MediaAnalysisModelVersions{std::string(kModerationModelVersion)}};
    }
    if (!job.manifest_summary) {
        job.manifest_summary =
            MediaAnalysisManifestSummary{output_object(job, "-manifest-summary.json")};
    }
}

void fail(MediaAnalysisJob& job, MediaAnalysisJobFailureDetails failure) {
    job.status = MediaAnalysisJobStatus::Failed;
    job.failure_details = std::move(failure);
    job.results.reset();
    job.manifest_summary.reset();
}

bool is_terminal(MediaAnalysisJobStatus status) {
    return status == MediaAnalysisJobStatus::Succeeded || status == MediaAnalysisJobStatus::Failed;
}

}  // namespace

void plan_lifecycle(MediaAnalysisJob& job, Timestamp created, const LifecycleDurations& durations,
                    bool work) {
    job.creation_timestamp = created;
    if (durations.polls_per_state > 0) {
        job.schedule = LifecycleSchedule{kNever, kNever};
        job.completion_timestamp = kNever;
        job.polls_per_state = durations.polls_per_state;
        job.polls_seen = 0;
    } else {
        const Timestamp queued = created + durations.created;
        const Timestamp in_progress = queued + durations.queued;
        job.schedule = LifecycleSchedule{queued, in_progress};
        job.completion_timestamp = in_progress + durations.in_progress;
    }

    if (const auto code = triggered_failure(job.input.s3_object.name.value_or(""))) {
        fail(job, MediaAnalysisJobFailureDetails{*code, failure_message(*code, job)});
    } else {
        succeed(job);
        job.outputs_pending = work;
    }
}

MediaAnalysisJob finish_work(const MediaAnalysisJob& job, const WorkOutcome& outcome) {
    MediaAnalysisJob finished = job;
    finished.outputs_pending = false;
    finished.frozen_rules.reset();
    if (outcome.failure) {
        fail(finished, *outcome.failure);
        return finished;
    }
    succeed(finished);
    finished.results->s3_object->version = outcome.results_version;
    finished.manifest_summary->s3_object->version = outcome.summary_version;
    return finished;
}

MediaAnalysisJob steer_job(const MediaAnalysisJob& stored, MediaAnalysisJobStatus status,
                           const std::optional<MediaAnalysisJobFailureDetails>& failure,
                           Timestamp now) {
    MediaAnalysisJob job = job_at(stored, now);
    job.schedule.reset();
    if (!is_terminal(status)) {
        job.status = status;
        job.completion_timestamp.reset();
        job.failure_details.reset();
        job.results.reset();
        job.manifest_summary.reset();
        return job;
    }
    if (!is_terminal(job.status) || !job.completion_timestamp) {
        job.completion_timestamp = std::max(now, job.creation_timestamp);
    }
    if (status == MediaAnalysisJobStatus::Succeeded) {
        succeed(job);
    } else {
        job.outputs_pending = false;
        job.frozen_rules.reset();
        const auto code = MediaAnalysisJobFailureCode::InternalError;
        fail(job,
             failure.value_or(MediaAnalysisJobFailureDetails{code, failure_message(code, job)}));
    }
    return job;
}

bool settled_at(const MediaAnalysisJob& stored, Timestamp now) {
    if (stored.outputs_pending) {
        return false;
    }
    return !stored.schedule || !stored.completion_timestamp || now >= *stored.completion_timestamp;
}

MediaAnalysisJob job_at(const MediaAnalysisJob& stored, Timestamp now) {
    if (settled_at(stored, now)) {
        return stored;
    }
    const bool due = stored.completion_timestamp && now >= *stored.completion_timestamp;
    if (!stored.schedule && !due) {
        return stored;  // steered to a running status, its work pending: frozen there
    }
    MediaAnalysisJob shown = stored;
    shown.status = due                                     ? MediaAnalysisJobStatus::InProgress
                   : now < stored.schedule->queued_at      ? MediaAnalysisJobStatus::Created
                   : now < stored.schedule->in_progress_at ? MediaAnalysisJobStatus::Queued
                                                           : MediaAnalysisJobStatus::InProgress;
    shown.completion_timestamp.reset();
    shown.failure_details.reset();
    shown.results.reset();
    shown.manifest_summary.reset();
    return shown;
}

bool counts_polls(const MediaAnalysisJob& stored, Timestamp now) {
    return stored.polls_per_state && *stored.polls_per_state > 0 && stored.schedule &&
           stored.completion_timestamp && now < *stored.completion_timestamp;
}

namespace {

// Moves the schedule so that the job shows the state numbered `reached` (0 CREATED, 1 QUEUED,
// 2 IN_PROGRESS, 3 terminal) from `now` on: states reached keep an earlier start or start now,
// states not reached start at kNever.
void reach(MediaAnalysisJob& job, std::int64_t reached, Timestamp now) {
    LifecycleSchedule& schedule = *job.schedule;
    const auto start = [&](Timestamp& at, std::int64_t state) {
        at = reached >= state ? std::min(at, now) : kNever;
    };
    start(schedule.queued_at, 1);
    start(schedule.in_progress_at, 2);
    start(*job.completion_timestamp, 3);
}

std::int64_t state_number(MediaAnalysisJobStatus status) {
    switch (status) {
        case MediaAnalysisJobStatus::Created:
            return 0;
        case MediaAnalysisJobStatus::Queued:
            return 1;
        case MediaAnalysisJobStatus::InProgress:
            return 2;
        default:
            return 3;
    }
}

}  // namespace

MediaAnalysisJob poll_job(const MediaAnalysisJob& stored, Timestamp now) {
    MediaAnalysisJob job = stored;
    ++job.polls_seen;
    reach(job, std::min<std::int64_t>(3, job.polls_seen / *job.polls_per_state), now);
    return job;
}

std::optional<MediaAnalysisJob> pace_by_polls(const MediaAnalysisJob& stored,
                                              std::int64_t polls_per_state, Timestamp now) {
    const MediaAnalysisJob shown = job_at(stored, now);
    const std::int64_t state = state_number(shown.status);
    if (!stored.schedule || !stored.completion_timestamp || state == 3 ||
        now >= *stored.completion_timestamp) {
        return std::nullopt;
    }
    MediaAnalysisJob job = stored;
    job.polls_per_state = polls_per_state;
    job.polls_seen = state * polls_per_state;
    reach(job, state, now);
    return job;
}

}  // namespace rekmock::service
