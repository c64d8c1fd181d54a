#pragma once

// The API model's constraints (length, range, pattern, enum) on typed values, with the
// messages AWS's validation layer uses: "Value 'x' at 'Member' failed to satisfy constraint: ...".

#include <string>
#include <string_view>
#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::service {

struct Violation {
    std::string member;  // dotted path from the top-level shape, e.g. "Input.S3Object.Bucket"
    std::string value;   // the offending value as text, shortened if long
    std::string rule;    // "Member must have length less than or equal to 64"
};

// "Value '101' at 'MaxResults' failed to satisfy constraint: Member must have ..." for one.
std::string describe(const Violation& violation);

// The whole InvalidParameterException message for one or more violations, AWS style.
std::string describe(const std::vector<Violation>& violations);

// Checks an integer against the model's inclusive range.
void check_range(std::vector<Violation>& out, const std::string& member, long long value,
                 long long min, long long max);

// MediaAnalysisJobId: 1..64 characters of [a-zA-Z0-9-_].
void check_job_id(std::vector<Violation>& out, const std::string& member, std::string_view value);

// ClientRequestToken: 1..64 characters of [a-zA-Z0-9-_].
void check_client_request_token(std::vector<Violation>& out, const std::string& member,
                                std::string_view value);

// The constraints on what a caller chooses when starting a job: JobName, OperationsConfig,
// Input, OutputConfig and KmsKeyId, with `prefix` before each member path.
void validate_job_settings(std::vector<Violation>& out, const MediaAnalysisJob& job,
                           const std::string& prefix = {});

// Every constraint of MediaAnalysisJobDescription that `job` breaks; `prefix` is prepended to
// member paths (e.g. "MediaAnalysisJobs[3].").
std::vector<Violation> validate_job_description(const MediaAnalysisJob& job,
                                                const std::string& prefix = {});

}  // namespace rekmock::service
