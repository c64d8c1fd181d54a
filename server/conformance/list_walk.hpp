#pragma once

// ListMediaAnalysisJobs followed page by page to the end on one endpoint, and what its pages say
// about paging and order as facts two endpoints holding different jobs can still agree on: which
// pages are full and carry a NextToken, what the last page holds, whether jobs come newest first
// and each once, and whether another page size lists the same jobs in the same order.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "endpoint.hpp"
#include "json_diff.hpp"

namespace rekmock::conformance {

// A walk stops at the first answer that is not 2xx or has no NextToken, at a NextToken it was
// given before (it would never end), or after this many pages.
inline constexpr std::size_t kMaxWalkPages = 100'000;

struct ListWalk {
    int max_results = 0;
    std::vector<aws::AwsResponse> pages;  // as answered, in order
    std::vector<nlohmann::json> jobs;     // the job descriptions of the 2xx pages, in order
    bool token_repeated = false;          // stopped at a NextToken given before
};

// Pages ListMediaAnalysisJobs with `max_results` from the first page (or from `next_token`)
// to the end, on `endpoint`. Throws aws::AwsUnavailable when a page got no answer.
ListWalk walk_list(const Endpoint& endpoint, int max_results,
                   const std::optional<std::string>& next_token = std::nullopt);

// The job descriptions of a 2xx List answer; none for another answer.
std::vector<nlohmann::json> jobs_of(const aws::AwsResponse& page);

// A page as compared (compared_answer.hpp), without what paging and job facts say apart: its
// jobs and NextToken.
nlohmann::json envelope(const aws::AwsResponse& page);

// The request body of a page: {"MaxResults": m} and the NextToken when there is one.
nlohmann::json list_request(int max_results, const std::optional<std::string>& next_token);

// The NextToken of a 2xx page, if it has one.
std::optional<std::string> next_token_of(const aws::AwsResponse& page);

// What a page's size and NextToken say, relative to its MaxResults `max_results`: "MaxResults
// jobs and a NextToken", "1 to MaxResults jobs, no NextToken", "more than MaxResults jobs, ...".
// A page before the last is told full from short ("fewer than MaxResults jobs"); the last page
// is not, since how many jobs it holds depends on how many the endpoint has.
std::string page_kind(std::size_t jobs, int max_results, bool next_token, bool last);

// Whether `jobs` come newest first (CreationTimestamp never increasing: epoch numbers or RFC 3339
// text), or std::nullopt when a timestamp cannot be read.
std::optional<bool> newest_first(const std::vector<nlohmann::json>& jobs);

// The JobIds of `jobs` in order ("" for one without).
std::vector<std::string> job_ids(const std::vector<nlohmann::json>& jobs);

// The facts of `walk` as a JSON object for diff(): "answers" (page 1 as compared, its jobs and
// NextToken left out) and "answers from page N" (the first page answered otherwise); then, over
// its 2xx pages: "pages before the last", "last page" (or "empty list"), "newest first",
// "each job once", "the jobs of the MaxResults 100 walk, in its order" when `whole` is given,
// and "jobs", the merged shape of its job descriptions.
nlohmann::json walk_facts(const ListWalk& walk, const ListWalk* whole);

// The rules under which two walks' facts are compared: what only a side with jobs, or with more
// than one page, can have may be absent on the other, and so may a job's optional members.
DiffRules walk_rules();

// The differences between two sets of facts whose "answers" hold a compared answer: when the
// first answers' statuses differ, only those answers are compared.
Comparison compare_facts(const nlohmann::json& reference, const nlohmann::json& candidate,
                         const DiffRules& rules);

}  // namespace rekmock::conformance
