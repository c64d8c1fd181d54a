#pragma once

// Which members of a job's description (MediaAnalysisJobDescription, GetMediaAnalysisJob's
// answer) the API model lets an answer leave out, as conformance must know them to compare two
// endpoints that hold different jobs: one side's failed jobs have FailureDetails, the other's
// may have none, and neither is wrong.

#include <string>
#include <string_view>

#include "json_diff.hpp"

namespace rekmock::conformance {

// Whether the API model makes the member at `path` of a job description optional ("JobName",
// "Results.S3Object.Version"; not "Status" nor "Input.S3Object").
bool is_optional_job_member(std::string_view path);

// Whether the member at `path` of a job description is there or not by the setup of the account
// rather than by the API: an S3 object's Version (only versioned buckets give one).
bool is_setup_dependent_job_member(std::string_view path);

// Rules under which the job descriptions at `prefix` ("body", "body.MediaAnalysisJobs[]") may
// differ in their optional members: for answers about different jobs.
DiffRules optional_job_members(std::string prefix);

// Rules under which the job description at `prefix` may differ only in the members that depend on
// the account's setup: for two jobs started alike.
DiffRules setup_dependent_job_members(std::string prefix);

}  // namespace rekmock::conformance
