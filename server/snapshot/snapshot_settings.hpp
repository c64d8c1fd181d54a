#pragma once

// What `rekognition-mock snapshot` was asked to do, as its flags say (server/cli/).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "aws_credentials.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::snapshot {

struct SnapshotSettings {
    aws::AwsSettings aws;                 // --profile, --region
    std::optional<std::string> endpoint;  // --endpoint; else AWS's for the region
    std::vector<MediaAnalysisJobStatus>
        statuses;                         // --status: the listed statuses kept; all if none
    std::optional<std::size_t> max_jobs;  // --max-jobs
    std::optional<std::filesystem::path> outputs_dir;  // --with-outputs DIR
    std::optional<std::string> s3_endpoint;            // --s3-endpoint; else AWS's S3
    std::optional<std::string> output;                 // --output; standard output if none or "-"
};

}  // namespace rekmock::snapshot
