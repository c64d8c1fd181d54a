#include "job_description_json.hpp"

#include "job_description_decoder.hpp"
#include "timestamp_json.hpp"

namespace rekmock::protocol {
namespace {

void write_s3_object(json::JsonWriter& out, const S3Object& o) {
    out.begin_object();
    out.member("Bucket", o.bucket);
    out.member("Name", o.name);
    out.member("Version", o.version);
    out.end_object();
}

}  // namespace

void write_job_description(json::JsonWriter& out, const MediaAnalysisJob& job) {
    out.begin_object();
    out.member("JobId", job.job_id);
    out.member("JobName", job.job_name);
    out.begin_object("OperationsConfig");
    if (const auto& moderation = job.operations_config.detect_moderation_labels) {
        out.begin_object("DetectModerationLabels");
        out.member("MinConfidence", moderation->min_confidence);
        out.member("ProjectVersion", moderation->project_version);
        out.end_object();
    }
    out.end_object();
    out.member("Status", to_string(job.status));
    if (const auto& failure = job.failure_details) {
        out.begin_object("FailureDetails");
        if (failure->code) {
            out.member("Code", to_string(*failure->code));
        }
        out.member("Message", failure->message);
        out.end_object();
    }
    out.member("CreationTimestamp", to_epoch_seconds(job.creation_timestamp));
    if (job.completion_timestamp) {
        out.member("CompletionTimestamp", to_epoch_seconds(*job.completion_timestamp));
    }
    out.begin_object("Input");
    out.key("S3Object");
    write_s3_object(out, job.input.s3_object);
    out.end_object();
    out.begin_object("OutputConfig");
    out.member("S3Bucket", job.output_config.s3_bucket);
    out.member("S3KeyPrefix", job.output_config.s3_key_prefix);
    out.end_object();
    out.member("KmsKeyId", job.kms_key_id);
    if (const auto& results = job.results) {
        out.begin_object("Results");
        if (results->s3_object) {
            out.key("S3Object");
            write_s3_object(out, *results->s3_object);
        }
        if (results->model_versions) {
            out.begin_object("ModelVersions");
            out.member("Moderation", results->model_versions->moderation);
            out.end_object();
        }
        out.end_object();
    }
    if (const auto& manifest = job.manifest_summary) {
        out.begin_object("ManifestSummary");
        if (manifest->s3_object) {
            out.key("S3Object");
            write_s3_object(out, *manifest->s3_object);
        }
        out.end_object();
    }
    out.end_object();
}

std::string encode_job_description(const MediaAnalysisJob& job) {
    std::string text;
    json::JsonWriter out(text);
    write_job_description(out, job);
    return text;
}

MediaAnalysisJob decode_start_settings(const Json& object) {
    MediaAnalysisJob job;
    decoder::decode_settings(request_members(object), job, true);
    return job;
}

MediaAnalysisJob decode_job_description(const Json& object, const std::string& path,
                                        bool allow_text_timestamps) {
    return decoder::decode_job_description(request_members(object, path), allow_text_timestamps);
}

}  // namespace rekmock::protocol
