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

// Pages remembered at most: enough for pollers of a few scopes' first pages, and the few pages
// a walk revisits; each holds references to up to 100 renderings.
constexpr std::size_t kRememberedPages = 64;

void throw_if_invalid(const std::vector<Violation>& violations) {
    if (!violations.empty()) {
        throw ServiceError(ErrorKind::InvalidParameter, describe(violations));
    }
}

}  // namespace

MediaAnalysisService::MediaAnalysisService(storage::JobStore& store, const Clock& clock,
                                           ServiceConfig config)
    : store_(store), clock_(clock), config_(config), tokens_(store.pagination_secret()) {
    if (config_.rendering_cache_bytes > 0) {
        renderings_.emplace(config_.rendering_cache_bytes);
        pages_.emplace(kRememberedPages);
    }
}

ShownPage MediaAnalysisService::page(const ListMediaAnalysisJobsRequest& request,
                                     bool use_renderings) {
    std::vector<Violation> violations;
    const std::int64_t page_size = request.max_results.value_or(kDefaultMaxResults);
    check_range(violations, "MaxResults", page_size, 1, kMaxMaxResults);
    throw_if_invalid(violations);
    const std::string context = list_context(request.caller);
    // An empty token is treated as absent, as AWS's list APIs do: a client that echoes back
    // an empty string starts from the top rather than failing.
    const std::string_view token =
        request.next_token ? std::string_view(*request.next_token) : std::string_view();
    const auto size = static_cast<std::size_t>(page_size);
    // Read before any row, so what is remembered under it cannot outlive a later write.
    const StoreVersion version{store_.revision(), store_.insertions()};
    const std::uint64_t revision = version.revision;
    const bool remembering = use_renderings && renderings_;
    ShownPage shown;
    const auto show = [&shown](const std::vector<Rendering>& renderings) {
        shown.jobs.reserve(renderings.size());
        for (const auto& rendering : renderings) {
            shown.jobs.push_back(ShownJob{rendering, std::nullopt, std::nullopt});
        }
    };

    // Keyed by the token as sent, so a page asked for again skips even the token's decryption;
    // only a token that decoded gets a page remembered under it.
    std::string page_key;
    if (remembering) {
        page_key = RenderedPageCache::key(request.caller, token, size);
        if (auto page = pages_->find(page_key, version)) {
            show(page->renderings);
            shown.next_token = page->next_token;
            return shown;
        }
    }

    std::optional<JobCursor> after;
    if (!token.empty()) {
        after = tokens_.decode(token, context);
        if (!after) {
            throw ServiceError(ErrorKind::InvalidPaginationToken, "Invalid pagination token.");
        }
    }
    // One row more than the page tells whether another page follows, with no COUNT query.
    const auto next_token = [&](const JobCursor& last) { return tokens_.encode(last, context); };

    if (remembering) {
        // The index alone names the page; if every job on it has a rendering, no row is read.
        const auto keys = store_.list_keys(after, size + 1, request.caller);
        RenderedPage page;
        page.renderings.reserve(std::min(keys.size(), size));
        for (std::size_t i = 0; i < keys.size() && i < size; ++i) {
            auto rendering = renderings_->find(request.caller, keys[i].job_id, revision);
            if (!rendering) {
                break;
            }
            page.renderings.push_back(std::move(rendering));
        }
        if (page.renderings.size() == std::min(keys.size(), size)) {
            if (keys.size() > size) {
                page.next_token = next_token(keys[size - 1]);
            }
            show(page.renderings);
            shown.next_token = page.next_token;
            pages_->remember(std::move(page_key), version, std::move(page));
            return shown;
        }
    }

    auto jobs = store_.list_page(after, size + 1, request.caller);
    if (jobs.size() > size) {
        jobs.pop_back();
        shown.next_token =
            next_token(JobCursor{jobs.back().creation_timestamp, jobs.back().job_id});
    }
    // One instant for the whole page, so every job in it is shown as of the same moment.
    const Timestamp now = clock_.now();
    shown.jobs.reserve(jobs.size());
    for (const auto& job : jobs) {
        const bool settled = renderings_ && settled_at(job, now);
        shown.jobs.push_back(
            ShownJob{nullptr, job_at(job, now), settled ? std::optional(revision) : std::nullopt});
    }
    return shown;
}

ListMediaAnalysisJobsResponse MediaAnalysisService::list_media_analysis_jobs(
    const ListMediaAnalysisJobsRequest& request) {
    auto shown = page(request, false);
    ListMediaAnalysisJobsResponse response;
    response.media_analysis_jobs.reserve(shown.jobs.size());
    for (auto& job : shown.jobs) {
        response.media_analysis_jobs.push_back(std::move(*job.job));
    }
    response.next_token = std::move(shown.next_token);
    return response;
}

ShownPage MediaAnalysisService::show_media_analysis_jobs(
    const ListMediaAnalysisJobsRequest& request) {
    return page(request, true);
}

MediaAnalysisJob MediaAnalysisService::stored_job(const GetMediaAnalysisJobRequest& request) {
    std::vector<Violation> violations;
    check_job_id(violations, "JobId", request.job_id);
    throw_if_invalid(violations);
    auto job = store_.find(request.caller, request.job_id);
    if (!job) {
        throw ServiceError(ErrorKind::ResourceNotFound,
                           "The media analysis job " + request.job_id + " does not exist.");
    }
    return std::move(*job);
}

MediaAnalysisJob MediaAnalysisService::get_media_analysis_job(
    const GetMediaAnalysisJobRequest& request) {
    return job_at(stored_job(request), clock_.now());
}

ShownJob MediaAnalysisService::show_media_analysis_job(const GetMediaAnalysisJobRequest& request) {
    const std::uint64_t revision = store_.revision();
    // Only stored (so valid) JobIds are remembered: a malformed one misses, then is refused.
    if (renderings_) {
        if (auto rendering = renderings_->find(request.caller, request.job_id, revision)) {
            return ShownJob{std::move(rendering), std::nullopt, std::nullopt};
        }
    }
    const MediaAnalysisJob stored = stored_job(request);
    const Timestamp now = clock_.now();
    const bool settled = renderings_ && settled_at(stored, now);
    return ShownJob{nullptr, job_at(stored, now), settled ? std::optional(revision) : std::nullopt};
}

void MediaAnalysisService::remember_rendering(const ShownJob& shown, std::string rendering) {
    if (renderings_ && shown.rememberable_at) {
        renderings_->remember(shown.job->scope, shown.job->job_id, *shown.rememberable_at,
                              std::make_shared<const std::string>(std::move(rendering)));
    }
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
    plan_lifecycle(job, now, config_.durations);

    std::optional<storage::StartRequestKey> key;
    if (request.client_request_token) {
        key = storage::StartRequestKey{*request.client_request_token, start_fingerprint(job)};
    }
    const auto outcome = store_.start(job, key, config_.max_unfinished_jobs, now);
    switch (outcome.kind) {
        case storage::StartOutcome::Kind::Created:
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
