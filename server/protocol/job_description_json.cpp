#include "job_description_json.hpp"

#include "model_validation.hpp"
#include "service_error.hpp"
#include "timestamp_json.hpp"

namespace rekmock::protocol {
namespace {

void write_s3_object(JsonWriter& out, const S3Object& o) {
    out.begin_object();
    out.member("Bucket", o.bucket);
    out.member("Name", o.name);
    out.member("Version", o.version);
    out.end_object();
}

S3Object decode_s3_object(const Json& object, const std::string& path) {
    return S3Object{optional_string(object, "Bucket", path), optional_string(object, "Name", path),
                    optional_string(object, "Version", path)};
}

std::string join(const std::vector<std::string_view>& names) {
    std::string text = "[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "" : ", ") + std::string(names[i]);
    }
    return text + "]";
}

template <typename Enum>
Enum decode_enum(std::optional<Enum> parsed, const std::string& value, const std::string& member,
                 const std::vector<std::string_view>& allowed) {
    if (!parsed) {
        throw service::ServiceError(
            service::ErrorKind::InvalidParameter,
            service::describe(
                {{member, value, "Member must satisfy enum value set: " + join(allowed)}}));
    }
    return *parsed;
}

// The members a caller chooses when starting a job, shared by job descriptions and
// StartMediaAnalysisJob requests; a start must name the input object's Bucket and Name.
void decode_settings(const Json& object, const std::string& path, MediaAnalysisJob& job,
                     bool require_input_object) {
    job.job_name = optional_string(object, "JobName", path);
    const Json& operations = required_object(object, "OperationsConfig", path);
    const std::string operations_path = path + "OperationsConfig.";
    if (const Json* moderation =
            optional_object(operations, "DetectModerationLabels", operations_path)) {
        const std::string moderation_path = operations_path + "DetectModerationLabels.";
        job.operations_config.detect_moderation_labels = MediaAnalysisDetectModerationLabelsConfig{
            optional_number(*moderation, "MinConfidence", moderation_path),
            optional_string(*moderation, "ProjectVersion", moderation_path)};
    }

    const Json& input = required_object(object, "Input", path);
    const Json& input_object = required_object(input, "S3Object", path + "Input.");
    job.input.s3_object = decode_s3_object(input_object, path + "Input.S3Object.");
    if (require_input_object) {
        required_string(input_object, "Bucket", path + "Input.S3Object.");
        required_string(input_object, "Name", path + "Input.S3Object.");
    }

    const Json& output = required_object(object, "OutputConfig", path);
    job.output_config.s3_bucket = required_string(output, "S3Bucket", path + "OutputConfig.");
    job.output_config.s3_key_prefix =
        optional_string(output, "S3KeyPrefix", path + "OutputConfig.");

    job.kms_key_id = optional_string(object, "KmsKeyId", path);
}

}  // namespace

void write_job_description(JsonWriter& out, const MediaAnalysisJob& job) {
    out.begin_object();
    out.member("JobId", job.job_id);
    out.member("JobName", job.job_name);
    out.key("OperationsConfig");
    out.begin_object();
    if (const auto& moderation = job.operations_config.detect_moderation_labels) {
        out.key("DetectModerationLabels");
        out.begin_object();
        out.member("MinConfidence", moderation->min_confidence);
        out.member("ProjectVersion", moderation->project_version);
        out.end_object();
    }
    out.end_object();
    out.member("Status", to_string(job.status));
    if (const auto& failure = job.failure_details) {
        out.key("FailureDetails");
        out.begin_object();
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
    out.key("Input");
    out.begin_object();
    out.key("S3Object");
    write_s3_object(out, job.input.s3_object);
    out.end_object();
    out.key("OutputConfig");
    out.begin_object();
    out.member("S3Bucket", job.output_config.s3_bucket);
    out.member("S3KeyPrefix", job.output_config.s3_key_prefix);
    out.end_object();
    out.member("KmsKeyId", job.kms_key_id);
    if (const auto& results = job.results) {
        out.key("Results");
        out.begin_object();
        if (results->s3_object) {
            out.key("S3Object");
            write_s3_object(out, *results->s3_object);
        }
        if (results->model_versions) {
            out.key("ModelVersions");
            out.begin_object();
            out.member("Moderation", results->model_versions->moderation);
            out.end_object();
        }
        out.end_object();
    }
    if (const auto& manifest = job.manifest_summary) {
        out.key("ManifestSummary");
        out.begin_object();
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
    JsonWriter out(text);
    write_job_description(out, job);
    return text;
}

MediaAnalysisJob decode_start_settings(const Json& object) {
    MediaAnalysisJob job;
    decode_settings(object, "", job, true);
    return job;
}

MediaAnalysisJob decode_job_description(const Json& object, const std::string& path,
                                        bool allow_text_timestamps) {
    MediaAnalysisJob job;
    job.job_id = required_string(object, "JobId", path);

    const std::string status = required_string(object, "Status", path);
    job.status =
        decode_enum(parse_job_status(status), status, path + "Status", all_job_status_names());

    if (const Json* failure = optional_object(object, "FailureDetails", path)) {
        const std::string failure_path = path + "FailureDetails.";
        MediaAnalysisJobFailureDetails details;
        if (const auto code = optional_string(*failure, "Code", failure_path)) {
            details.code = decode_enum(parse_failure_code(*code), *code, failure_path + "Code",
                                       all_failure_code_names());
        }
        details.message = optional_string(*failure, "Message", failure_path);
        job.failure_details = std::move(details);
    }

    job.creation_timestamp =
        required_timestamp(object, "CreationTimestamp", path, allow_text_timestamps);
    job.completion_timestamp =
        optional_timestamp(object, "CompletionTimestamp", path, allow_text_timestamps);

    decode_settings(object, path, job, false);

    if (const Json* results = optional_object(object, "Results", path)) {
        const std::string results_path = path + "Results.";
        MediaAnalysisResults r;
        if (const Json* s3 = optional_object(*results, "S3Object", results_path)) {
            r.s3_object = decode_s3_object(*s3, results_path + "S3Object.");
        }
        if (const Json* versions = optional_object(*results, "ModelVersions", results_path)) {
            r.model_versions = MediaAnalysisModelVersions{
                optional_string(*versions, "Moderation", results_path + "ModelVersions.")};
        }
        job.results = std::move(r);
    }

    if (const Json* manifest = optional_object(object, "ManifestSummary", path)) {
        MediaAnalysisManifestSummary m;
        if (const Json* s3 = optional_object(*manifest, "S3Object", path + "ManifestSummary.")) {
            m.s3_object = decode_s3_object(*s3, path + "ManifestSummary.S3Object.");
        }
        job.manifest_summary = std::move(m);
    }
    return job;
}

}  // namespace rekmock::protocol
