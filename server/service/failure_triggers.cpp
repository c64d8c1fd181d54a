#include "failure_triggers.hpp"

#include <array>

namespace rekmock::service {
namespace {

std::string s3_uri(const std::optional<std::string>& bucket,
                   const std::optional<std::string>& key) {
    return "s3://" + bucket.value_or("") + "/" + key.value_or("");
}

}  // namespace

std::string failure_trigger(MediaAnalysisJobFailureCode code) {
    std::string trigger = "fail-";
    for (const char c : to_string(code)) {
        const bool upper = c >= 'A' && c <= 'Z';
        trigger.push_back(c == '_' ? '-' : upper ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return trigger;
}

std::optional<MediaAnalysisJobFailureCode> triggered_failure(std::string_view object_name) {
    std::optional<MediaAnalysisJobFailureCode> found;
    std::size_t found_at = std::string_view::npos;
    for (const auto code : all_failure_codes()) {
        const std::size_t at = object_name.find(failure_trigger(code));
        // "fail-internal-error" and friends share no prefix, but the earliest match wins anyway
        // so that a name with two triggers has one documented answer.
        if (at != std::string_view::npos && (found_at == std::string_view::npos || at < found_at)) {
            found = code;
            found_at = at;
        }
    }
    return found;
}

std::string failure_message(MediaAnalysisJobFailureCode code, const MediaAnalysisJob& job) {
    const auto& input = job.input.s3_object;
    switch (code) {
        case MediaAnalysisJobFailureCode::InternalError:
            return "An internal error occurred while processing the job. Try again.";
        case MediaAnalysisJobFailureCode::InvalidS3Object:
            return "Unable to read the input object " + s3_uri(input.bucket, input.name) + ".";
        case MediaAnalysisJobFailureCode::InvalidManifest:
            return "The input manifest " + s3_uri(input.bucket, input.name) +
                   " is not a valid JSON Lines manifest.";
        case MediaAnalysisJobFailureCode::InvalidOutputConfig:
            return "Unable to write results to s3://" + job.output_config.s3_bucket + "/" +
                   job.output_config.s3_key_prefix.value_or("") + ".";
        case MediaAnalysisJobFailureCode::InvalidKmsKey:
            return "The KMS key " + job.kms_key_id.value_or("(none)") +
                   " is not valid or not accessible.";
        case MediaAnalysisJobFailureCode::AccessDenied:
            return "Access denied to " + s3_uri(input.bucket, input.name) + ".";
        case MediaAnalysisJobFailureCode::ResourceNotFound:
            return "The requested resource was not found.";
        case MediaAnalysisJobFailureCode::ResourceNotReady:
            return "The requested resource is not ready.";
        case MediaAnalysisJobFailureCode::Throttled:
            return "The job was throttled. Try again later.";
    }
    return "The job failed.";
}

}  // namespace rekmock::service
