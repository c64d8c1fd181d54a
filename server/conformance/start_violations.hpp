#pragma once

// StartMediaAnalysisJob requests that each break one constraint of the API model
// (service-2.json, 2016-06-27): a required member left out, a string too short or too long or
// outside its pattern, MinConfidence out of range, a member of the wrong JSON type. The model's
// validation refuses them before any job exists, so the read-only scenario may send them to AWS.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rekmock::conformance {

struct StartViolation {
    std::string name;        // "JobName of 65 characters (at most 64)"
    std::string member;      // "JobName": the member broken, dotted
    nlohmann::json request;  // harmless_start_request() with that one violation
};

// A valid request whose buckets no S3 bucket can be named (upper case and '_': the model admits
// them, S3 does not) and whose ClientRequestToken is always the same, so that even an endpoint
// that let a violation through could start no work on anyone's objects, and only one job.
nlohmann::json harmless_start_request();

// One request per constraint of StartMediaAnalysisJobRequest, generated from the model's table.
// The request has no enum member. A minimum length is broken only where a shorter value can
// still match the pattern (Bucket, Name, Version): an empty JobName, ClientRequestToken or
// KmsKeyId, or a ProjectVersion under 20 characters, would break the pattern too.
std::vector<StartViolation> start_violations();

}  // namespace rekmock::conformance
