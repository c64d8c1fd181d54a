#pragma once

// MediaAnalysisJobDescription <-> JSON, in the model's member order; absent members are
// omitted, never null.

#include <nlohmann/json.hpp>
#include <string>

#include "json_writer.hpp"
#include "media_analysis_job.hpp"
#include "request_members.hpp"

namespace rekmock::protocol {

// Appends the wire form of one job to `out`.
void write_job_description(json::JsonWriter& out, const MediaAnalysisJob& job);

// The wire form of one job, as compact JSON text.
std::string encode_job_description(const MediaAnalysisJob& job);

// The typed job in `object`; `path` prefixes member names in errors. Throws ProtocolError for
// wrong JSON types and ServiceError(InvalidParameter) for missing members or unknown enum values;
// the remaining model constraints are service::validate_job_description's.
MediaAnalysisJob decode_job_description(const Json& object, const std::string& path,
                                        bool allow_text_timestamps);

// The caller-chosen members of a StartMediaAnalysisJob request (JobName, OperationsConfig,
// Input, OutputConfig, KmsKeyId), with the same type and presence rules.
MediaAnalysisJob decode_start_settings(const Json& object);

}  // namespace rekmock::protocol
