#pragma once

// The operations' semantics on typed values (the "provider"): validation per the API model,
// pagination and, later, idempotency and lifecycle. Knows nothing of HTTP or JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "job_store.hpp"
#include "media_analysis_job.hpp"
#include "pagination_token.hpp"

namespace rekmock::service {

struct ListMediaAnalysisJobsRequest {
    std::optional<std::string> next_token;
    std::optional<std::int64_t> max_results;
};

struct ListMediaAnalysisJobsResponse {
    std::vector<MediaAnalysisJob> media_analysis_jobs;
    std::optional<std::string> next_token;
};

inline constexpr std::int64_t kDefaultMaxResults = 100;
inline constexpr std::int64_t kMaxMaxResults = 100;

class MediaAnalysisService {
  public:
    // Serves from `store`, which must outlive the service.
    explicit MediaAnalysisService(storage::JobStore& store);

    // One page of jobs, newest first; throws ServiceError (InvalidParameter,
    // InvalidPaginationToken) for a request the API would refuse.
    ListMediaAnalysisJobsResponse list_media_analysis_jobs(
        const ListMediaAnalysisJobsRequest& request);

  private:
    storage::JobStore& store_;
    PaginationTokenCodec tokens_;
};

}  // namespace rekmock::service
