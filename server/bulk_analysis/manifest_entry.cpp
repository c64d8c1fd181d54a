#include "manifest_entry.hpp"

#include <nlohmann/json.hpp>

namespace rekmock::bulk_analysis {

std::optional<objects::ObjectRef> parse_s3_uri(std::string_view uri) {
    constexpr std::string_view kScheme = "s3://";
    if (!uri.starts_with(kScheme)) {
        return std::nullopt;
    }
    uri.remove_prefix(kScheme.size());
    const std::size_t slash = uri.find('/');
    if (slash == 0 || slash == std::string_view::npos || slash + 1 == uri.size()) {
        return std::nullopt;
    }
    return objects::ObjectRef{std::string(uri.substr(0, slash)), std::string(uri.substr(slash + 1)),
                              std::nullopt};
}

std::variant<ManifestEntry, LineError> parse_manifest_line(std::string_view line) {
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return LineError{error_code::kInvalidJsonLine,
                         line.find_first_not_of(" \t") == std::string_view::npos
                             ? "The line is blank; each line must be a JSON object."
                             : "The line is not a JSON object.",
                         std::nullopt};
    }
    const auto member = json.find("source-ref");
    if (member == json.end() || !member->is_string()) {
        return LineError{error_code::kMissingSourceRef,
                         "The line has no \"source-ref\" string naming an image.", std::nullopt};
    }
    std::string source_ref = member->get<std::string>();
    auto image = parse_s3_uri(source_ref);
    if (!image) {
        return LineError{error_code::kInvalidSourceRef,
                         "The source-ref is not of the form s3://bucket/key.",
                         std::move(source_ref)};
    }
    return ManifestEntry{std::move(source_ref), std::move(*image)};
}

}  // namespace rekmock::bulk_analysis
