#include "bulk_analysis_work.hpp"

#include "image_check.hpp"
#include "manifest_entry.hpp"
#include "manifest_lines.hpp"
#include "moderation_rules_json.hpp"
#include "name_convention.hpp"
#include "output_files.hpp"
#include "service_error.hpp"

namespace rekmock::bulk_analysis {
namespace {

using service::ErrorKind;
using service::ServiceError;
using Code = MediaAnalysisJobFailureCode;

std::string s3_uri(const std::string& bucket, const std::string& key) {
    return "s3://" + bucket + "/" + key;
}

// The job's input manifest as an object; ServiceError (InvalidS3Object) when Input names none.
objects::ObjectRef manifest_of(const MediaAnalysisJob& job) {
    const S3Object& input = job.input.s3_object;
    if (!input.bucket || !input.name) {
        throw ServiceError(ErrorKind::InvalidS3Object,
                           "Input.S3Object must name a Bucket and a Name.");
    }
    return objects::ObjectRef{*input.bucket, *input.name, input.version};
}

service::WorkOutcome failed(Code code, std::string message) {
    service::WorkOutcome outcome;
    outcome.failure = MediaAnalysisJobFailureDetails{code, std::move(message)};
    return outcome;
}

// The failure an output write ends the job with. Outputs the store did not keep, for whatever
// reason but a refusal of access (a missing bucket, a server that failed or never answered),
// are the output configuration's failure: a job without its outputs never SUCCEEDS.
service::WorkOutcome output_failure(const objects::ObjectStoreError& e, const std::string& uri) {
    const Code code = e.kind() == objects::ObjectErrorKind::AccessDenied
                          ? Code::AccessDenied
                          : Code::InvalidOutputConfig;
    return failed(code, "Unable to write " + uri + ": " + e.what());
}

objects::WriteOptions write_options(const MediaAnalysisJob& job, std::string content_type) {
    return objects::WriteOptions{std::move(content_type), job.kms_key_id};
}

}  // namespace

std::optional<std::string> BulkAnalysisWork::admit(const MediaAnalysisJob& job) {
    const objects::ObjectRef manifest = manifest_of(job);
    std::uint64_t size = 0;
    try {
        size = store_.open(manifest, 1)->size();
    } catch (const objects::ObjectStoreError& e) {
        throw ServiceError(ErrorKind::InvalidS3Object,
                           "Unable to get object metadata from S3. Check object key, region "
                           "and/or access permissions for input manifest " +
                               s3_uri(manifest.bucket, manifest.key) + ": " + e.what());
    }
    if (size == 0) {
        throw ServiceError(
            ErrorKind::InvalidManifest,
            "The manifest file " + s3_uri(manifest.bucket, manifest.key) + " is empty.");
    }
    if (size > config_.max_manifest_bytes) {
        throw ServiceError(ErrorKind::InvalidManifest,
                           "The manifest file " + s3_uri(manifest.bucket, manifest.key) + " is " +
                               std::to_string(size) + " bytes, larger than the limit of " +
                               std::to_string(config_.max_manifest_bytes) + " bytes.");
    }
    if (rules_ != nullptr) {
        if (const auto rules = rules_->rules(job.scope)) {
            return rules->text;
        }
    }
    return std::nullopt;
}

service::WorkOutcome BulkAnalysisWork::perform(const MediaAnalysisJob& job,
                                               const std::optional<std::string>& frozen_rules) {
    if (!job.results || !job.results->s3_object || !job.results->s3_object->name ||
        !job.manifest_summary || !job.manifest_summary->s3_object ||
        !job.manifest_summary->s3_object->name) {
        return failed(Code::InternalError, "The job names no outputs.");
    }
    const std::string& bucket = job.output_config.s3_bucket;
    const std::string& results_key = *job.results->s3_object->name;
    const std::string& summary_key = *job.manifest_summary->s3_object->name;
    ModerationResponse response;
    if (job.results->model_versions && job.results->model_versions->moderation) {
        response.model_version = *job.results->model_versions->moderation;
    }
    double min_confidence = moderation::kDefaultMinConfidence;
    if (const auto& config = job.operations_config.detect_moderation_labels) {
        response.project_version = config->project_version;
        min_confidence = config->min_confidence.value_or(min_confidence);
    }
    const auto& taxonomy = moderation::ModerationTaxonomy::aws_v7();
    moderation::ModerationRules rules;
    if (frozen_rules) {
        try {
            rules =
                moderation::parse_moderation_rules(nlohmann::json::parse(*frozen_rules), taxonomy);
        } catch (const std::exception& e) {
            return failed(Code::InternalError,
                          std::string("The job's moderation rules no longer load: ") + e.what());
        }
    }
    const moderation::JobFacts facts{job.job_name, response.project_version};

    std::unique_ptr<objects::ObjectWriter> results;
    try {
        results = store_.create(bucket, results_key, write_options(job, "application/jsonl"));
    } catch (const objects::ObjectStoreError& e) {
        return output_failure(e, s3_uri(bucket, results_key));
    }

    ManifestSummary summary(config_.spool_folder);
    try {
        const objects::ObjectRef manifest = manifest_of(job);
        auto reader = store_.open(manifest, std::nullopt);
        ManifestLines lines(*reader, config_.max_line_bytes);
        while (const auto line = lines.next()) {
            if (line->too_long) {
                summary.add_error(line->number,
                                  LineError{error_code::kLineTooLong,
                                            "The line is longer than " +
                                                std::to_string(config_.max_line_bytes) + " bytes.",
                                            std::nullopt});
                continue;
            }
            auto entry = parse_manifest_line(line->text);
            if (auto* error = std::get_if<LineError>(&entry)) {
                summary.add_error(line->number, *error);
                continue;
            }
            auto& image = std::get<ManifestEntry>(entry);
            const moderation::ImageScript* script = rules.match(image.source_ref, facts);
            std::optional<moderation::ImageScript> named;
            if (script == nullptr) {
                named = convention_.script(image.source_ref);
                script = named ? &*named : nullptr;
            }
            // A scripted error needs no image: a test of failures uploads nothing.
            if (script != nullptr && script->error) {
                summary.add_error(
                    line->number,
                    LineError{script->error->code, script->error->message, image.source_ref});
                continue;
            }
            if (auto error = check_image(store_, image.image, config_.image_check)) {
                error->source_ref = image.source_ref;
                summary.add_error(line->number, *error);
                continue;
            }
            summary.add_valid();
            response.answer = script != nullptr
                                  ? moderation::answer_for(*script, min_confidence, taxonomy)
                                  : moderation::ModerationAnswer{};
            try {
                results->write(results_line(image.source_ref, response));
            } catch (const objects::ObjectStoreError& e) {
                return output_failure(e, s3_uri(bucket, results_key));
            }
        }
    } catch (const ServiceError& e) {
        return failed(Code::InvalidS3Object, e.what());
    } catch (const objects::ObjectStoreError& e) {
        return failed(Code::InvalidS3Object,
                      std::string("Unable to read the input manifest: ") + e.what());
    }
    if (summary.valid() == 0) {
        return failed(Code::InvalidManifest,
                      "The manifest has no valid line (" + std::to_string(summary.invalid()) +
                          " invalid); first error: " + summary.first_error().value_or("none"));
    }

    service::WorkOutcome outcome;
    try {
        outcome.results_version = results->commit();
    } catch (const objects::ObjectStoreError& e) {
        return output_failure(e, s3_uri(bucket, results_key));
    }
    try {
        auto writer = store_.create(bucket, summary_key, write_options(job, "application/json"));
        summary.write_to([&writer](std::string_view chunk) { writer->write(chunk); });
        outcome.summary_version = writer->commit();
    } catch (const objects::ObjectStoreError& e) {
        return output_failure(e, s3_uri(bucket, summary_key));
    }
    return outcome;
}

}  // namespace rekmock::bulk_analysis
