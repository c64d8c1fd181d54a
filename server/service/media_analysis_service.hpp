#pragma once

// The operations' semantics on typed values (the "provider"): validation per the API model,
// pagination and, later, idempotency and lifecycle. Knows nothing of HTTP or JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "job_store.hpp"
#include "lifecycle.hpp"
#include "media_analysis_job.hpp"
#include "pagination_token.hpp"
#include "rendered_job_cache.hpp"
#include "rendered_page_cache.hpp"

namespace rekmock::service {

// Every request carries its caller's scope: it sees and creates only that scope's jobs.
struct ListMediaAnalysisJobsRequest {
    Scope caller;
    std::optional<std::string> next_token;
    std::optional<std::int64_t> max_results;
};

struct ListMediaAnalysisJobsResponse {
    std::vector<MediaAnalysisJob> media_analysis_jobs;
    std::optional<std::string> next_token;
};

struct GetMediaAnalysisJobRequest {
    Scope caller;
    std::string job_id;
};

// The caller-chosen members of the job to start travel in `job` (JobName, OperationsConfig,
// Input, OutputConfig, KmsKeyId); the service fills in the rest.
struct StartMediaAnalysisJobRequest {
    Scope caller;
    std::optional<std::string> client_request_token;
    MediaAnalysisJob job;
};

struct StartMediaAnalysisJobResponse {
    std::string job_id;
};

// One job of an answer for the protocol layer to encode: a rendering it gave the service
// earlier, or the job as of now.
struct ShownJob {
    Rendering rendering;                  // non-null: these bytes, as remembered
    std::optional<MediaAnalysisJob> job;  // otherwise: this job
    // Set when the job is settled: remember_rendering() may keep its encoding until the
    // store's revision moves past this one.
    std::optional<std::uint64_t> rememberable_at;
};

struct ShownPage {
    std::vector<ShownJob> jobs;
    std::optional<std::string> next_token;
};

struct ServiceConfig {
    LifecycleDurations durations;
    // LimitExceededException once a scope has this many jobs not yet SUCCEEDED or FAILED.
    std::int64_t max_unfinished_jobs = 100;
    // Memory for remembered renderings of settled jobs; 0 turns remembering off.
    std::size_t rendering_cache_bytes = std::size_t{32} << 20;
};

inline constexpr std::int64_t kDefaultMaxResults = 100;
inline constexpr std::int64_t kMaxMaxResults = 100;

class MediaAnalysisService {
  public:
    // Serves from `store` at the time `clock` tells; both must outlive the service.
    explicit MediaAnalysisService(storage::JobStore& store, const Clock& clock = system_clock(),
                                  ServiceConfig config = {});

    // One page of jobs, newest first; throws ServiceError (InvalidParameter,
    // InvalidPaginationToken) for a request the API would refuse.
    ListMediaAnalysisJobsResponse list_media_analysis_jobs(
        const ListMediaAnalysisJobsRequest& request);

    // The job as it is now; throws ServiceError (InvalidParameter for a malformed id,
    // ResourceNotFound for an id the caller's scope does not hold).
    MediaAnalysisJob get_media_analysis_job(const GetMediaAnalysisJobRequest& request);

    // As list_media_analysis_jobs, but a job whose rendering is remembered comes as that
    // rendering, when the whole page is (and such a page is remembered too).
    ShownPage show_media_analysis_jobs(const ListMediaAnalysisJobsRequest& request);

    // As get_media_analysis_job, but as its remembered rendering when there is one.
    ShownJob show_media_analysis_job(const GetMediaAnalysisJobRequest& request);

    // Keeps `rendering` of `shown.job` for later answers, if it is rememberable.
    void remember_rendering(const ShownJob& shown, std::string rendering);

    // Starts a job, or returns the one its ClientRequestToken started before; throws
    // ServiceError (InvalidParameter, IdempotentParameterMismatch, LimitExceeded).
    StartMediaAnalysisJobResponse start_media_analysis_job(
        const StartMediaAnalysisJobRequest& request);

  private:
    ShownPage page(const ListMediaAnalysisJobsRequest& request, bool use_renderings);
    // The stored job the request names; throws InvalidParameter or ResourceNotFound.
    MediaAnalysisJob stored_job(const GetMediaAnalysisJobRequest& request);

    storage::JobStore& store_;
    const Clock& clock_;
    ServiceConfig config_;
    PaginationTokenCodec tokens_;
    std::optional<RenderedJobCache> renderings_;
    std::optional<RenderedPageCache> pages_;
};

}  // namespace rekmock::service
