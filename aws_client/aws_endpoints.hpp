#pragma once

// Where AWS serves a service in a region, and whether a URL is AWS's own.

#include <string>
#include <string_view>

namespace rekmock::aws {

// "https://<service>.<region>.amazonaws.com" (".amazonaws.com.cn" in the China regions).
std::string default_endpoint(std::string_view service, std::string_view region);

// Whether `url` is an endpoint of AWS itself (a host under amazonaws.com, amazonaws.com.cn or
// api.aws), rather than an emulator's; false for a URL that does not parse.
bool is_aws_endpoint(std::string_view url);

}  // namespace rekmock::aws
