#pragma once

// `rekognition-mock conformance`: the scenario's calls made on a reference endpoint (AWS's) and
// a candidate (this mock), both signed with the credentials the AWS CLI would use, each call
// sent once (a throttle is an answer to compare, never retried), and the report printed.

#include <ostream>
#include <string_view>

#include "conformance_settings.hpp"
#include "s3_config.hpp"

namespace rekmock::conformance {

// Runs the command; returns its exit status: 0 when no call differs, 1 when one does or the run
// could not be made (no credentials, an endpoint that does not answer or refuses them). The
// report goes to `out`; progress and problems to `progress`, which never shows a secret.
int run_conformance(const ConformanceSettings& settings, const objects::Environment& environment,
                    std::string_view version, std::ostream& out, std::ostream& progress);

}  // namespace rekmock::conformance
