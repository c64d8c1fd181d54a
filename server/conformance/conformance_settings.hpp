#pragma once

// What `rekognition-mock conformance` was asked to do, as its flags say (server/cli/).

#include <optional>
#include <string>

#include "aws_credentials.hpp"
#include "conformance_scenario.hpp"

namespace rekmock::conformance {

struct ConformanceSettings {
    aws::AwsSettings aws;   // --profile, --region: both endpoints are signed alike
    std::string reference;  // --reference URL: the endpoint taken as right (AWS's)
    std::string candidate;  // --candidate URL: the endpoint checked (this mock)
    ScenarioKind scenario = ScenarioKind::ReadOnly;  // --scenario
    // --manifest s3://bucket/key and --output-bucket: the full scenario's, required by it.
    std::string manifest_bucket;
    std::string manifest_key;
    std::string output_bucket;
    bool json = false;  // --json: the report as one JSON document
};

}  // namespace rekmock::conformance
