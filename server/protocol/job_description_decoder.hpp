#pragma once

// The model decoder, written once for any view of a JSON object: protocol's nlohmann tree
// (request_members.hpp, which words every error for the wire) and the fixture reader's fast view of
// raw text (fixture_format/scanned_object.hpp, which declines whatever it does not handle, so the
// tree reads that job instead). A view provides, found by argument-dependent lookup:
// optional_string, optional_number, optional_timestamp, optional_object (a pointer or an
// optional), required_string, required_object, required_timestamp and decode_enum, each taking
// the member path (std::string, or a type that stands for none) as the json_members functions do.

#include <string>
#include <utility>

#include "media_analysis_job.hpp"
#include "request_members.hpp"

namespace rekmock::protocol::decoder {

template <typename Object, typename Path>
S3Object decode_s3_object(const Object& object, const Path& path) {
    return S3Object{optional_string(object, "Bucket", path), optional_string(object, "Name", path),
                    optional_string(object, "Version", path)};
}

// The members a caller chooses when starting a job, shared by job descriptions and
// StartMediaAnalysisJob requests; a start must name the input object's Bucket and Name.
template <typename Object, typename Path>
void decode_settings(const Object& object, const Path& path, MediaAnalysisJob& job,
                     bool require_input_object) {
    job.job_name = optional_string(object, "JobName", path);
    const auto& operations = required_object(object, "OperationsConfig", path);
    const auto operations_path = path + "OperationsConfig.";
    if (const auto moderation =
            optional_object(operations, "DetectModerationLabels", operations_path)) {
        const auto moderation_path = operations_path + "DetectModerationLabels.";
        job.operations_config.detect_moderation_labels = MediaAnalysisDetectModerationLabelsConfig{
            optional_number(*moderation, "MinConfidence", moderation_path),
            optional_string(*moderation, "ProjectVersion", moderation_path)};
    }

    const auto& input = required_object(object, "Input", path);
    const auto& input_object = required_object(input, "S3Object", path + "Input.");
    job.input.s3_object = decode_s3_object(input_object, path + "Input.S3Object.");
    if (require_input_object) {
        required_string(input_object, "Bucket", path + "Input.S3Object.");
        required_string(input_object, "Name", path + "Input.S3Object.");
    }

    const auto& output = required_object(object, "OutputConfig", path);
    job.output_config.s3_bucket = required_string(output, "S3Bucket", path + "OutputConfig.");
    job.output_config.s3_key_prefix =
        optional_string(output, "S3KeyPrefix", path + "OutputConfig.");

    job.kms_key_id = optional_string(object, "KmsKeyId", path);
}

template <typename Object, typename Path>
MediaAnalysisJob decode_job_description(const Object& object, const Path& path,
                                        bool allow_text_timestamps) {
    MediaAnalysisJob job;
    job.job_id = required_string(object, "JobId", path);

    const std::string status = required_string(object, "Status", path);
    job.status =
        decode_enum(parse_job_status(status), status, path + "Status", &all_job_status_names);

    if (const auto failure = optional_object(object, "FailureDetails", path)) {
        const auto failure_path = path + "FailureDetails.";
        MediaAnalysisJobFailureDetails details;
        if (const auto code = optional_string(*failure, "Code", failure_path)) {
            details.code = decode_enum(parse_failure_code(*code), *code, failure_path + "Code",
                                       &all_failure_code_names);
        }
        details.message = optional_string(*failure, "Message", failure_path);
        job.failure_details = std::move(details);
    }

    job.creation_timestamp =
        required_timestamp(object, "CreationTimestamp", path, allow_text_timestamps);
    job.completion_timestamp =
        optional_timestamp(object, "CompletionTimestamp", path, allow_text_timestamps);

    decode_settings(object, path, job, false);

    if (const auto results = optional_object(object, "Results", path)) {
        const auto results_path = path + "Results.";
        MediaAnalysisResults r;
        if (const auto s3 = optional_object(*results, "S3Object", results_path)) {
            r.s3_object = decode_s3_object(*s3, results_path + "S3Object.");
        }
        if (const auto versions = optional_object(*results, "ModelVersions", results_path)) {
            r.model_versions = MediaAnalysisModelVersions{
                optional_string(*versions, "Moderation", results_path + "ModelVersions.")};
        }
        job.results = std::move(r);
    }

    if (const auto manifest = optional_object(object, "ManifestSummary", path)) {
        MediaAnalysisManifestSummary m;
        if (const auto s3 = optional_object(*manifest, "S3Object", path + "ManifestSummary.")) {
            m.s3_object = decode_s3_object(*s3, path + "ManifestSummary.S3Object.");
        }
        job.manifest_summary = std::move(m);
    }
    return job;
}

}  // namespace rekmock::protocol::decoder
