#include "start_fingerprint.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <string>

#include "digest.hpp"

namespace rekmock::service {
namespace {

// Appends a presence byte, then a 4-byte length and the bytes: no two field lists collide.
void field(std::string& out, const std::optional<std::string>& value) {
    if (!value) {
        out.push_back('\0');
        return;
    }
    out.push_back('\1');
    const auto size = static_cast<std::uint32_t>(value->size());
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    out.append(*value);
}

std::optional<std::string> number_text(const std::optional<double>& value) {
    if (!value) {
        return std::nullopt;
    }
    std::array<char, 32> text{};
    const auto result = std::to_chars(text.data(), text.data() + text.size(), *value);
    return std::string(text.data(), result.ptr);
}

}  // namespace

std::vector<unsigned char> start_fingerprint(const MediaAnalysisJob& job) {
    std::string canonical;
    field(canonical, job.job_name);
    const auto& moderation = job.operations_config.detect_moderation_labels;
    field(canonical,
          moderation ? std::optional<std::string>("DetectModerationLabels") : std::nullopt);
    field(canonical, moderation ? number_text(moderation->min_confidence) : std::nullopt);
    field(canonical, moderation ? moderation->project_version : std::nullopt);
    field(canonical, job.input.s3_object.bucket);
    field(canonical, job.input.s3_object.name);
    field(canonical, job.input.s3_object.version);
    field(canonical, job.output_config.s3_bucket);
    field(canonical, job.output_config.s3_key_prefix);
    field(canonical, job.kms_key_id);

    const crypto::Sha256Digest digest = crypto::sha256(canonical);
    return {digest.begin(), digest.end()};
}

}  // namespace rekmock::service
