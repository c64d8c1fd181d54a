#pragma once

// The operations' semantics on typed values (the "provider"): validation per the API model,
// pagination, idempotency and lifecycle. Knows nothing of HTTP or JSON.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "job_store.hpp"
#include "job_work_scheduler.hpp"
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
    // Every job shown is settled (lifecycle.hpp): the answer holds until the store changes.
    bool settled = false;
};

struct GetMediaAnalysisJobRequest {
    Scope caller;
    std::string job_id;
};

struct GetMediaAnalysisJobResponse {
    MediaAnalysisJob job;
    // The job is settled (lifecycle.hpp): the answer holds until the store changes.
    bool settled = false;
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

// What the store held when an answer was read: its revision() and insertions(). An answer that
// shows only settled jobs holds while both are unchanged (a page), or the revision alone (a job);
// another process's write to a shared store moves the revision, so it drops both.
struct StoreVersion {
    std::uint64_t revision = 0;
    std::uint64_t insertions = 0;
    bool operator==(const StoreVersion&) const = default;
};

struct ServiceConfig {
    LifecycleDurations durations;
    // LimitExceededException once a scope has this many jobs not yet SUCCEEDED or FAILED.
    std::int64_t max_unfinished_jobs = 100;
    // Jobs created longer ago than this (on the lifecycle clock) are gone from List and Get, as
    // AWS keeps a job's details for a year; none: kept for ever (fixtures are often old).
    std::optional<std::chrono::milliseconds> retention;
};

inline constexpr std::int64_t kDefaultMaxResults = 100;
inline constexpr std::int64_t kMaxMaxResults = 100;

class MediaAnalysisService {
  public:
    // Serves from `store` at the time `clock` tells; both must outlive the service, as must
    // `work` when given (an object store is configured: jobs read manifests, write outputs).
    explicit MediaAnalysisService(storage::JobStore& store, const Clock& clock = system_clock(),
                                  ServiceConfig config = {}, JobWorkScheduler* work = nullptr);

    // One page of jobs, newest first; throws ServiceError (InvalidParameter,
    // InvalidPaginationToken) for a request the API would refuse.
    ListMediaAnalysisJobsResponse list_media_analysis_jobs(
        const ListMediaAnalysisJobsRequest& request);

    // The job as it is now; throws ServiceError (InvalidParameter for a malformed id,
    // ResourceNotFound for an id the caller's scope does not hold).
    GetMediaAnalysisJobResponse get_media_analysis_job(const GetMediaAnalysisJobRequest& request);

    // Starts a job, or returns the one its ClientRequestToken started before; throws
    // ServiceError (InvalidParameter, InvalidS3Object, InvalidManifest,
    // IdempotentParameterMismatch, LimitExceeded).
    StartMediaAnalysisJobResponse start_media_analysis_job(
        const StartMediaAnalysisJobRequest& request);

    // The store as it is now, other processes' writes to a shared file included; read it once
    // before an answer to know how long the answer holds (each read asks SQLite).
    StoreVersion store_version() const noexcept { return {store_.revision(), store_.insertions()}; }

  private:
    storage::JobStore& store_;
    const Clock& clock_;
    // The job as shown at `now`, its work done first if it is due.
    MediaAnalysisJob show(const MediaAnalysisJob& stored, Timestamp now, bool& settled);
    // Whether `job` is past the retention at `now` (never without one).
    bool expired(const MediaAnalysisJob& job, Timestamp now) const {
        return config_.retention && job.creation_timestamp < now - *config_.retention;
    }
    ServiceConfig config_;
    JobWorkScheduler* work_;
    PaginationTokenCodec tokens_;
};

}  // namespace rekmock::service
