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
    // --scenario, and the full scenario's --manifest s3://bucket/key and --output-bucket, which
    // it requires (the command gives it its run_id and how it waits).
    ScenarioSettings scenario;
    bool json = false;  // --json: the report as one JSON document
};

}  // namespace rekmock::conformance
