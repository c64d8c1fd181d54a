#include "lifecycle.hpp"

#include <algorithm>

#include "failure_triggers.hpp"

namespace rekmock::service {
namespace {

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
    const Timestamp queued = created + durations.created;
    const Timestamp in_progress = queued + durations.queued;
    job.schedule = LifecycleSchedule{queued, in_progress};
    job.completion_timestamp = in_progress + durations.in_progress;

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
    finished.work_plan.reset();
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
        job.work_plan.reset();
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

}  // namespace rekmock::service
