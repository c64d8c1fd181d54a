#pragma once

// The opt-in query of GET /_mock/jobs that pages and filters a scope's dump, for a browser that
// shows a scope page by page (MaxResults, NextToken), picks jobs (Status, Contains), opens one
// (JobId) and draws their lifecycles (Include=Lifecycle). Without any of these the dump is as it
// always was.

#include <cstddef>
#include <optional>
#include <string>

#include "media_analysis_job.hpp"
#include "route_table.hpp"

namespace rekmock::control {

// MaxResults' bounds: the API's (1..100) would make a browser of thousands of jobs page a lot,
// so up to 1000.
inline constexpr std::size_t kMaxJobsPerPage = 1000;

struct JobListing {
    std::optional<std::string> job_id;       // that job alone (looked up, not searched for)
    std::optional<std::size_t> max_results;  // none: every matching job
    std::optional<JobCursor> after;          // NextToken: the jobs after this one
    std::optional<MediaAnalysisJobStatus> status;
    std::optional<std::string> contains;  // lower-case
    bool include_lifecycle = false;

    // True when the query asks for anything beyond the plain dump.
    bool any() const noexcept {
        return job_id || max_results || after || status || contains || include_lifecycle;
    }
    // True when `job`, as shown, meets Status and Contains: the text in its JobId, JobName,
    // input (s3://bucket/name) or output (s3://bucket/prefix), whatever the case.
    bool matches(const MediaAnalysisJob& job) const;
};

// The listing `params` ask for (other parameters are the scope's or ignored, as in a plain
// dump); throws BadRequest naming a parameter whose value is invalid.
JobListing parse_job_listing(const Params& params);

// The NextToken that continues after `cursor`: opaque text, stable across restarts.
std::string job_page_token(const JobCursor& cursor);

}  // namespace rekmock::control
