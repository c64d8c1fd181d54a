#include "lifecycle.hpp"

#include "failure_triggers.hpp"

namespace rekmock::service {
namespace {

// The moderation model the results claim; the version AWS documents for bulk analysis output.
constexpr std::string_view kModerationModelVersion = "7.0";

S3Object output_object(const MediaAnalysisJob& job, std::string_view file) {
    std::string key = job.output_config.s3_key_prefix.value_or("");
    key.append(job.job_id).append("/").append(file);
    return S3Object{job.output_config.s3_bucket, std::move(key), std::nullopt};
}

}  // namespace

void plan_lifecycle(MediaAnalysisJob& job, Timestamp created, const LifecycleDurations& durations) {
    job.creation_timestamp = created;
    const Timestamp queued = created + durations.created;
    const Timestamp in_progress = queued + durations.queued;
    job.schedule = LifecycleSchedule{queued, in_progress};
    job.completion_timestamp = in_progress + durations.in_progress;

    if (const auto code = triggered_failure(job.input.s3_object.name.value_or(""))) {
        job.status = MediaAnalysisJobStatus::Failed;
        job.failure_details = MediaAnalysisJobFailureDetails{*code, failure_message(*code, job)};
        return;
    }
    job.status = MediaAnalysisJobStatus::Succeeded;
    job.results =
        MediaAnalysisResults{output_object(job, "results.jsonl"),
                             MediaAnalysisModelVersions{std::string(kModerationModelVersion)}};
    job.manifest_summary =
        MediaAnalysisManifestSummary{output_object(job, "manifest-summary.json")};
}

MediaAnalysisJob job_at(const MediaAnalysisJob& stored, Timestamp now) {
    if (!stored.schedule || !stored.completion_timestamp || now >= *stored.completion_timestamp) {
        return stored;
    }
    MediaAnalysisJob shown = stored;
    shown.status = now < stored.schedule->queued_at        ? MediaAnalysisJobStatus::Created
                   : now < stored.schedule->in_progress_at ? MediaAnalysisJobStatus::Queued
                                                           : MediaAnalysisJobStatus::InProgress;
    shown.completion_timestamp.reset();
    shown.failure_details.reset();
    shown.results.reset();
    shown.manifest_summary.reset();
    return shown;
}

}  // namespace rekmock::service
