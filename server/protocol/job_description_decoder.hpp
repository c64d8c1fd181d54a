#pragma once

// The model decoder, written once for any view of a JSON object: protocol's nlohmann tree
// (json::Members read by request_members.hpp's rules, which word every error for the wire) and
// the fixture reader's fast view of raw text (fixture_format/scanned_object.hpp, which declines
// whatever it does not handle, so the tree reads that job instead). A view provides the member
// functions string, number, object (a std::optional of a view), required_string, required_object
// and path_of, as json::Members does, and, found by argument-dependent lookup, optional_timestamp,
// required_timestamp and decode_enum, as request_members.hpp declares them.

#include <string>
#include <utility>

#include "media_analysis_job.hpp"
#include "request_members.hpp"

namespace rekmock::protocol::decoder {

template <typename Object>
S3Object decode_s3_object(const Object& object) {
    return S3Object{object.string("Bucket"), object.string("Name"), object.string("Version")};
}

// The members a caller chooses when starting a job, shared by job descriptions and
// StartMediaAnalysisJob requests; a start must name the input object's Bucket and Name.
template <typename Object>
void decode_settings(const Object& object, MediaAnalysisJob& job, bool require_input_object) {
    job.job_name = object.string("JobName");
    const auto operations = object.required_object("OperationsConfig");
    if (const auto moderation = operations.object("DetectModerationLabels")) {
        job.operations_config.detect_moderation_labels = MediaAnalysisDetectModerationLabelsConfig{
            moderation->number("MinConfidence"), moderation->string("ProjectVersion")};
    }

    const auto input_object = object.required_object("Input").required_object("S3Object");
    job.input.s3_object = decode_s3_object(input_object);
    if (require_input_object) {
        input_object.required_string("Bucket");
        input_object.required_string("Name");
    }

    const auto output = object.required_object("OutputConfig");
    job.output_config.s3_bucket = output.required_string("S3Bucket");
    job.output_config.s3_key_prefix = output.string("S3KeyPrefix");

    job.kms_key_id = object.string("KmsKeyId");
}

template <typename Object>
MediaAnalysisJob decode_job_description(const Object& object, bool allow_text_timestamps) {
    MediaAnalysisJob job;
    job.job_id = object.required_string("JobId");

    const std::string status = object.required_string("Status");
    job.status = decode_enum(parse_job_status(status), status, object.path_of("Status"),
                             &all_job_status_names);

    if (const auto failure = object.object("FailureDetails")) {
        MediaAnalysisJobFailureDetails details;
        if (const auto code = failure->string("Code")) {
            details.code = decode_enum(parse_failure_code(*code), *code, failure->path_of("Code"),
                                       &all_failure_code_names);
        }
        details.message = failure->string("Message");
        job.failure_details = std::move(details);
    }

    job.creation_timestamp = required_timestamp(object, "CreationTimestamp", allow_text_timestamps);
    job.completion_timestamp =
        optional_timestamp(object, "CompletionTimestamp", allow_text_timestamps);

    decode_settings(object, job, false);

    if (const auto results = object.object("Results")) {
        MediaAnalysisResults r;
        if (const auto s3 = results->object("S3Object")) {
            r.s3_object = decode_s3_object(*s3);
        }
        if (const auto versions = results->object("ModelVersions")) {
            r.model_versions = MediaAnalysisModelVersions{versions->string("Moderation")};
        }
        job.results = std::move(r);
    }

    if (const auto manifest = object.object("ManifestSummary")) {
        MediaAnalysisManifestSummary m;
        if (const auto s3 = manifest->object("S3Object")) {
            m.s3_object = decode_s3_object(*s3);
        }
        job.manifest_summary = std::move(m);
    }
    return job;
}

}  // namespace rekmock::protocol::decoder
