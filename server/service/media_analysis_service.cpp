#include "media_analysis_service.hpp"

#include "model_validation.hpp"
#include "service_error.hpp"

namespace rekmock::service {
namespace {

// Binds tokens to the listing that issued them; a later scope (account, region) joins it.
constexpr std::string_view kListContext = "ListMediaAnalysisJobs";

}  // namespace

MediaAnalysisService::MediaAnalysisService(storage::JobStore& store)
    : store_(store), tokens_(store.pagination_secret()) {}

ListMediaAnalysisJobsResponse MediaAnalysisService::list_media_analysis_jobs(
    const ListMediaAnalysisJobsRequest& request) {
    std::vector<Violation> violations;
    const std::int64_t page_size = request.max_results.value_or(kDefaultMaxResults);
    check_range(violations, "MaxResults", page_size, 1, kMaxMaxResults);
    if (!violations.empty()) {
        throw ServiceError(ErrorKind::InvalidParameter, describe(violations));
    }

    std::optional<JobCursor> after;
    // An empty token is treated as absent, as AWS's list APIs do: a client that echoes back
    // an empty string starts from the top rather than failing.
    if (request.next_token && !request.next_token->empty()) {
        after = tokens_.decode(*request.next_token, kListContext);
        if (!after) {
            throw ServiceError(ErrorKind::InvalidPaginationToken, "Invalid pagination token.");
        }
    }

    // One row more than the page tells whether another page follows, with no COUNT query.
    ListMediaAnalysisJobsResponse response;
    response.media_analysis_jobs = store_.list_page(after, static_cast<std::size_t>(page_size) + 1);
    if (response.media_analysis_jobs.size() > static_cast<std::size_t>(page_size)) {
        response.media_analysis_jobs.pop_back();
        const MediaAnalysisJob& last = response.media_analysis_jobs.back();
        response.next_token =
            tokens_.encode(JobCursor{last.creation_timestamp, last.job_id}, kListContext);
    }
    return response;
}

}  // namespace rekmock::service
