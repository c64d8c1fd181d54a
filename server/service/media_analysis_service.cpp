#include "media_analysis_service.hpp"

#include "job_id.hpp"
#include "model_validation.hpp"
#include "service_error.hpp"
#include "start_fingerprint.hpp"

namespace rekmock::service {
namespace {

// Binds a token to the listing that issued it and to the caller's scope: a token used by
// another account or region is as invalid as a forged one.
std::string list_context(const Scope& caller) {
    std::string context = "ListMediaAnalysisJobs";
    context.append("\n").append(caller.account).append("\n").append(caller.region);
    return context;
}

void throw_if_invalid(const std::vector<Violation>& violations) {
    if (!violations.empty()) {
        throw ServiceError(ErrorKind::InvalidParameter, describe(violations));
    }
}

}  // namespace

MediaAnalysisService::MediaAnalysisService(storage::JobStore& store, const Clock& clock,
                                           ServiceConfig config, JobWorkScheduler* work)
    : store_(store),
      clock_(clock),
      config_(config),
      work_(work),
      tokens_(store.pagination_secret()) {}

MediaAnalysisJob MediaAnalysisService::show(const MediaAnalysisJob& stored, Timestamp now,
                                            bool& settled) {
    if (settled_at(stored, now)) {
        return stored;
    }
    const MediaAnalysisJob current = work_ != nullptr ? work_->settle(stored, now) : stored;
    settled = settled && settled_at(current, now);
    return job_at(current, now);
}

ListMediaAnalysisJobsResponse MediaAnalysisService::list_media_analysis_jobs(
    const ListMediaAnalysisJobsRequest& request) {
    std::vector<Violation> violations;
    const std::int64_t page_size = request.max_results.value_or(kDefaultMaxResults);
    check_range(violations, "MaxResults", page_size, 1, kMaxMaxResults);
    throw_if_invalid(violations);
    const std::string context = list_context(request.caller);
    std::optional<JobCursor> after;
    // An empty token is treated as absent, as AWS's list APIs do: a client that echoes back
    // an empty string starts from the top rather than failing.
    if (request.next_token && !request.next_token->empty()) {
        after = tokens_.decode(*request.next_token, context);
        if (!after) {
            throw ServiceError(ErrorKind::InvalidPaginationToken, "Invalid pagination token.");
        }
    }
    // One row more than the page tells whether another page follows, with no COUNT query.
    const auto size = static_cast<std::size_t>(page_size);
    auto jobs = store_.list_page(after, size + 1, request.caller);
    // One instant for the whole page, so every job in it is shown as of the same moment.
    const Timestamp now = clock_.now();
    // Jobs past the retention are the oldest, so the page's last: the list ends before them.
    while (!jobs.empty() && expired(jobs.back(), now)) {
        jobs.pop_back();
    }
    ListMediaAnalysisJobsResponse response;
    if (jobs.size() > size) {
        jobs.pop_back();
        response.next_token =
            tokens_.encode(JobCursor{jobs.back().creation_timestamp, jobs.back().job_id}, context);
    }
    // With a retention, answers change with time alone: none may be kept as settled.
    response.settled = !config_.retention;
    for (auto& job : jobs) {
        job = show(job, now, response.settled);
    }
    response.media_analysis_jobs = std::move(jobs);
    return response;
}

GetMediaAnalysisJobResponse MediaAnalysisService::get_media_analysis_job(
    const GetMediaAnalysisJobRequest& request) {
    std::vector<Violation> violations;
    check_job_id(violations, "JobId", request.job_id);
    throw_if_invalid(violations);
    const auto not_found = [&request] {
        return ServiceError(ErrorKind::ResourceNotFound,
                            "The media analysis job " + request.job_id + " does not exist.");
    };
    auto job = store_.find(request.caller, request.job_id);
    const Timestamp now = clock_.now();
    if (!job || expired(*job, now)) {
        throw not_found();
    }
    if (counts_polls(*job, now)) {
        // Counted in the store, so that concurrent Gets each count once and a restart keeps
        // the count; List never counts.
        job = store_.update(
            request.caller, request.job_id,
            [now](const MediaAnalysisJob& current) -> std::optional<MediaAnalysisJob> {
                if (!counts_polls(current, now)) {
                    return std::nullopt;
                }
                return poll_job(current, now);
            });
        if (!job) {
            throw not_found();  // deleted meanwhile
        }
    }
    GetMediaAnalysisJobResponse response{{}, !config_.retention};
    response.job = show(*job, now, response.settled);
    return response;
}

StartMediaAnalysisJobResponse MediaAnalysisService::start_media_analysis_job(
    const StartMediaAnalysisJobRequest& request) {
    std::vector<Violation> violations;
    if (request.client_request_token) {
        check_client_request_token(violations, "ClientRequestToken", *request.client_request_token);
    }
    validate_job_settings(violations, request.job);
    throw_if_invalid(violations);

    MediaAnalysisJob job;
    job.scope = request.caller;
    job.job_id = new_job_id();
    job.job_name = request.job.job_name;
    job.operations_config = request.job.operations_config;
    job.input = request.job.input;
    job.output_config = request.job.output_config;
    job.kms_key_id = request.job.kms_key_id;
    const Timestamp now = clock_.now();
    plan_lifecycle(job, now, config_.durations, work_ != nullptr);
    std::optional<std::string> frozen_rules;  // kept with the job, read back for its work
    if (job.outputs_pending) {
        frozen_rules = work_->admit(job);
    }

    std::optional<storage::StartRequestKey> key;
    if (request.client_request_token) {
        key = storage::StartRequestKey{*request.client_request_token, start_fingerprint(job)};
    }
    const auto outcome = store_.start(job, key, config_.max_unfinished_jobs, now, frozen_rules);
    switch (outcome.kind) {
        case storage::StartOutcome::Kind::Created:
            if (work_ != nullptr) {
                work_->wake();
            }
            return {outcome.job_id};
        case storage::StartOutcome::Kind::Replayed:
            return {outcome.job_id};
        case storage::StartOutcome::Kind::Mismatch:
            throw ServiceError(ErrorKind::IdempotentParameterMismatch,
                               "ClientRequestToken " + *request.client_request_token +
                                   " was already used with different parameters.");
        case storage::StartOutcome::Kind::LimitReached:
            break;
    }
    throw ServiceError(ErrorKind::LimitExceeded,
                       "The account already has " + std::to_string(config_.max_unfinished_jobs) +
                           " media analysis jobs that have not finished.");
}

}  // namespace rekmock::service
