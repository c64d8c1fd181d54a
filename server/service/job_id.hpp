#pragma once

#include <string>

namespace rekmock::service {

// A new job id in Rekognition's form: 64 lower-case hex digits from a CSPRNG, so ids are
// unique across processes and restarts without any coordination.
std::string new_job_id();

}  // namespace rekmock::service
