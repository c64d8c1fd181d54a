#pragma once

// One of the two endpoints conformance compares, as its scenario calls it: an operation and a
// JSON body in, the first answer as it came on the wire out (never retried: a throttle is an
// answer to compare). The command backs it with RekognitionClient::call_once; tests with fakes.

#include <functional>
#include <string>
#include <string_view>

#include "aws_http_client.hpp"

namespace rekmock::conformance {

struct Endpoint {
    std::string url;  // for the report
    // Throws aws::AwsUnavailable when no answer came.
    std::function<aws::AwsResponse(std::string_view operation, const std::string& body)> call;
};

}  // namespace rekmock::conformance
