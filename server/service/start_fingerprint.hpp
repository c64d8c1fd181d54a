#pragma once

// What makes two StartMediaAnalysisJob requests "the same parameters" for idempotency.

#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::service {

// SHA-256 of a canonical, length-prefixed encoding of the caller-chosen settings of `job`
// (JobName, OperationsConfig, Input, OutputConfig, KmsKeyId); equal exactly when they are.
std::vector<unsigned char> start_fingerprint(const MediaAnalysisJob& job);

}  // namespace rekmock::service
