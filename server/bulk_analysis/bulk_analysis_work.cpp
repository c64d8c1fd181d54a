#include "bulk_analysis_work.hpp"

#include <stdexcept>
#include <string_view>
#include <variant>

#include "image_check.hpp"
#include "manifest_entry.hpp"
#include "manifest_lines.hpp"
#include "moderation_rules_json.hpp"
#include "name_convention.hpp"
#include "output_files.hpp"
#include "rule_index.hpp"
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

// An output the store did not keep; perform() says which failure that is.
class OutputError : public std::runtime_error {
  public:
    OutputError(const std::string& uri, const objects::ObjectStoreError& e)
        : std::runtime_error("Unable to write " + uri + ": " + e.what()), kind(e.kind()) {}
    objects::ObjectErrorKind kind;
};

// Returns what `write`, a write of the output `uri`, returns; its ObjectStoreError becomes an
// OutputError, so that a fault of the outputs is never taken for one of the manifest.
template <typename Write>
auto writing(const std::string& uri, const Write& write) {
    try {
        return write();
    } catch (const objects::ObjectStoreError& e) {
        throw OutputError(uri, e);
    }
}

// What scripts each image of one job: the first of the rules the job froze at Start that
// matches, then the name convention, then nothing (no labels).
struct ImageScripts {
    moderation::RuleIndex frozen;
    const moderation::NameConvention& convention;
    double min_confidence = moderation::kDefaultMinConfidence;

    // What the image `source_ref` is scripted to show: the error its line ends with, or what
    // DetectModerationLabels answers.
    std::variant<moderation::ScriptedError, moderation::ModerationAnswer> answer(
        std::string_view source_ref) const {
        const moderation::ImageScript* script = frozen.match(source_ref);
        std::optional<moderation::ImageScript> named;
        if (script == nullptr && (named = convention.script(source_ref))) {
            script = &*named;
        }
        if (script == nullptr) {
            return moderation::ModerationAnswer{};
        }
        if (script->error) {
            return *script->error;
        }
        return moderation::answer_for(*script, min_confidence,
                                      moderation::ModerationTaxonomy::aws_v7());
    }
};

// The work on each line of one job's manifest.
struct LineWork {
    objects::ObjectStore& store;
    const BulkAnalysisConfig& config;
    ImageScripts scripts;
    ModerationResponse response;  // the job's; each valid image's answer replaces the last

    // The results line of `line`'s image, or the error the line ends with.
    std::variant<std::string, LineError> operator()(const ManifestLine& line) {
        if (line.too_long) {
            return LineError{
                error_code::kLineTooLong,
                "The line is longer than " + std::to_string(config.max_line_bytes) + " bytes.",
                std::nullopt};
        }
        auto entry = parse_manifest_line(line.text);
        if (auto* error = std::get_if<LineError>(&entry)) {
            return std::move(*error);
        }
        const auto& image = std::get<ManifestEntry>(entry);
        auto answer = scripts.answer(image.source_ref);
        // A scripted error needs no image: a test of failures uploads nothing.
        if (const auto* error = std::get_if<moderation::ScriptedError>(&answer)) {
            return LineError{error->code, error->message, image.source_ref};
        }
        if (auto error = check_image(store, image.image, config.image_check)) {
            error->source_ref = image.source_ref;
            return std::move(*error);
        }
        response.answer = std::move(std::get<moderation::ModerationAnswer>(answer));
        return results_line(image.source_ref, response);
    }
};

// The work on the lines of `job`, its images scripted first by the rules `frozen_rules` holds
// (RulesError when they no longer load).
LineWork line_work(objects::ObjectStore& store, const BulkAnalysisConfig& config,
                   const moderation::NameConvention& convention, const MediaAnalysisJob& job,
                   const std::optional<std::string>& frozen_rules) {
    moderation::JobFacts facts{job.job_name, std::nullopt};
    double min_confidence = moderation::kDefaultMinConfidence;
    ModerationResponse response;
    if (job.results->model_versions && job.results->model_versions->moderation) {
        response.model_version = *job.results->model_versions->moderation;
    }
    if (const auto& settings = job.operations_config.detect_moderation_labels) {
        response.project_version = facts.project_version = settings->project_version;
        min_confidence = settings->min_confidence.value_or(min_confidence);
    }
    moderation::ModerationRules rules;
    if (frozen_rules) {
        rules = moderation::thaw_rules(*frozen_rules, moderation::ModerationTaxonomy::aws_v7());
    }
    return LineWork{store,
                    config,
                    {moderation::RuleIndex(std::move(rules), facts), convention, min_confidence},
                    std::move(response)};
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
            return rules->text;  // frozen with the job; perform() thaws it
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
    const std::string results_uri = s3_uri(bucket, results_key);
    try {
        LineWork work = line_work(store_, config_, convention_, job, frozen_rules);
        auto results = writing(results_uri, [&] {
            return store_.create(bucket, results_key, write_options(job, "application/jsonl"));
        });
        ManifestSummary summary(config_.spool_folder);
        auto manifest = store_.open(manifest_of(job), std::nullopt);
        ManifestLines lines(*manifest, config_.max_line_bytes);
        while (const auto line = lines.next()) {
            auto result = work(*line);
            if (const auto* error = std::get_if<LineError>(&result)) {
                summary.add_error(line->number, *error);
                continue;
            }
            summary.add_valid();
            writing(results_uri, [&] { results->write(std::get<std::string>(result)); });
        }
        if (summary.valid() == 0) {
            auto refused =
                failed(Code::InvalidManifest,
                       "The manifest has no valid line (" + std::to_string(summary.invalid()) +
                           " invalid); first error: " + summary.first_error().value_or("none"));
            refused.lines_refused = summary.invalid();
            return refused;
        }
        service::WorkOutcome outcome;
        outcome.images_processed = summary.valid();
        outcome.lines_refused = summary.invalid();
        outcome.results_version = writing(results_uri, [&] { return results->commit(); });
        outcome.summary_version = writing(s3_uri(bucket, summary_key), [&] {
            auto writer =
                store_.create(bucket, summary_key, write_options(job, "application/json"));
            summary.write_to([&writer](std::string_view chunk) { writer->write(chunk); });
            return writer->commit();
        });
        return outcome;
    } catch (const OutputError& e) {
        // Outputs the store did not keep, for whatever reason but a refusal of access (a missing
        // bucket, a server that failed or never answered), are the output configuration's
        // failure: a job without its outputs never SUCCEEDS.
        return failed(e.kind == objects::ObjectErrorKind::AccessDenied ? Code::AccessDenied
                                                                       : Code::InvalidOutputConfig,
                      e.what());
    } catch (const moderation::RulesError& e) {
        return failed(Code::InternalError,
                      std::string("The job's moderation rules no longer load: ") + e.what());
    } catch (const ServiceError& e) {
        return failed(Code::InvalidS3Object, e.what());
    } catch (const objects::ObjectStoreError& e) {
        return failed(Code::InvalidS3Object,
                      std::string("Unable to read the input manifest: ") + e.what());
    }
}

}  // namespace rekmock::bulk_analysis
