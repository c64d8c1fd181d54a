#include "job_description_json.hpp"

#include "model_validation.hpp"
#include "service_error.hpp"
#include "timestamp_json.hpp"

namespace rekmock::protocol {
namespace {

using OJson = nlohmann::ordered_json;

template <typename T>
void put(OJson& out, const char* name, const std::optional<T>& value) {
    if (value) {
        out[name] = *value;
    }
}

OJson encode_s3_object(const S3Object& o) {
    OJson out = OJson::object();
    put(out, "Bucket", o.bucket);
    put(out, "Name", o.name);
    put(out, "Version", o.version);
    return out;
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

OJson encode_job_description(const MediaAnalysisJob& job) {
    OJson out = OJson::object();
    out["JobId"] = job.job_id;
    put(out, "JobName", job.job_name);
    OJson operations = OJson::object();
    if (const auto& moderation = job.operations_config.detect_moderation_labels) {
        OJson config = OJson::object();
        put(config, "MinConfidence", moderation->min_confidence);
        put(config, "ProjectVersion", moderation->project_version);
        operations["DetectModerationLabels"] = std::move(config);
    }
    out["OperationsConfig"] = std::move(operations);
    out["Status"] = to_string(job.status);
    if (const auto& failure = job.failure_details) {
        OJson details = OJson::object();
        if (failure->code) {
            details["Code"] = to_string(*failure->code);
        }
        put(details, "Message", failure->message);
        out["FailureDetails"] = std::move(details);
    }
    out["CreationTimestamp"] = to_epoch_seconds(job.creation_timestamp);
    if (job.completion_timestamp) {
        out["CompletionTimestamp"] = to_epoch_seconds(*job.completion_timestamp);
    }
    out["Input"] = OJson{{"S3Object", encode_s3_object(job.input.s3_object)}};
    OJson output = OJson::object();
    output["S3Bucket"] = job.output_config.s3_bucket;
    put(output, "S3KeyPrefix", job.output_config.s3_key_prefix);
    out["OutputConfig"] = std::move(output);
    put(out, "KmsKeyId", job.kms_key_id);
    if (const auto& results = job.results) {
        OJson r = OJson::object();
        if (results->s3_object) {
            r["S3Object"] = encode_s3_object(*results->s3_object);
        }
        if (results->model_versions) {
            OJson versions = OJson::object();
            put(versions, "Moderation", results->model_versions->moderation);
            r["ModelVersions"] = std::move(versions);
        }
        out["Results"] = std::move(r);
    }
    if (const auto& manifest = job.manifest_summary) {
        OJson m = OJson::object();
        if (manifest->s3_object) {
            m["S3Object"] = encode_s3_object(*manifest->s3_object);
        }
        out["ManifestSummary"] = std::move(m);
    }
    return out;
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
