#pragma once

// Who is calling: the (account, region) scope named by the credential of a request's SigV4
// Authorization header, parsed once (sigv4_authorization.hpp). Under --auth sigv4 it is the
// credential that was verified; under --auth none it only says which scope's jobs the caller sees.

#include <optional>

#include "media_analysis_job.hpp"
#include "sigv4_authorization.hpp"

namespace rekmock::protocol {

// The region is the credential scope's; the account is the access key id when it is 12 digits
// (LocalStack's convention). Whatever the credential lacks, or names invalidly, is `defaults`'.
Scope caller_scope(const std::optional<SigV4Authorization>& authorization, const Scope& defaults);

}  // namespace rekmock::protocol
