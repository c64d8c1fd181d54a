#pragma once

// Who is calling: the (account, region) scope named by a request's SigV4 Authorization header.
// Signatures are not verified; the header only says which scope's jobs the caller sees.

#include <string>
#include <string_view>

#include "media_analysis_job.hpp"

namespace rekmock::protocol {

inline constexpr std::string_view kDefaultRegion = "us-east-1";

// The region is the credential scope's ("Credential=AKID/20240101/eu-west-1/rekognition/...");
// the account is the access key id when it is 12 digits (LocalStack's convention), else
// `default_account`. A missing or unreadable header means (default_account, us-east-1).
Scope caller_scope(std::string_view authorization, const std::string& default_account);

}  // namespace rekmock::protocol
