#pragma once

// Deterministic failures a test can ask for without any control call: a started job whose input
// object name contains "fail-" followed by a failure code in lower case with dashes (for example
// "manifests/fail-invalid-manifest.jsonl") ends FAILED with that code.

#include <optional>
#include <string>
#include <string_view>

#include "media_analysis_job.hpp"

namespace rekmock::service {

// The failure code that `object_name` asks for, if any (the first trigger in the name wins).
std::optional<MediaAnalysisJobFailureCode> triggered_failure(std::string_view object_name);

// The trigger text for `code`: "fail-invalid-manifest" for INVALID_MANIFEST.
std::string failure_trigger(MediaAnalysisJobFailureCode code);

// A message in the style of Rekognition's for a job that failed with `code`.
std::string failure_message(MediaAnalysisJobFailureCode code, const MediaAnalysisJob& job);

}  // namespace rekmock::service
