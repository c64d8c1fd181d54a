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

struct ServiceConfig {
    LifecycleDurations durations;
    // LimitExceededException once a scope has this many jobs not yet SUCCEEDED or FAILED.
    std::int64_t max_unfinished_jobs = 100;
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

    // Starts a job, or returns the one its ClientRequestToken started before; throws
    // ServiceError (InvalidParameter, IdempotentParameterMismatch, LimitExceeded).
    StartMediaAnalysisJobResponse start_media_analysis_job(
        const StartMediaAnalysisJobRequest& request);

  private:
    storage::JobStore& store_;
    const Clock& clock_;
    ServiceConfig config_;
    PaginationTokenCodec tokens_;
};

}  // namespace rekmock::service
