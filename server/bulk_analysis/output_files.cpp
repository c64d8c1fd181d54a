#include "output_files.hpp"

#include <nlohmann/json.hpp>

namespace rekmock::bulk_analysis {
namespace {

void append_string(std::string& out, std::string_view text) {
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string results_line(std::string_view source_ref, const ModerationResponse& response) {
    std::string line = "{\"source-ref\":";
    append_string(line, source_ref);
    line += ",\"detect-moderation-labels\":{\"ModerationLabels\":[],\"ModerationModelVersion\":";
    append_string(line, response.model_version);
    if (response.project_version) {
        line += ",\"ProjectVersion\":";
        append_string(line, *response.project_version);
    }
    line += ",\"ContentTypes\":[]}}\n";
    return line;
}

void ManifestSummary::add_error(std::uint64_t line_number, const LineError& error) {
    ++invalid_;
    if (!first_error_) {
        first_error_ = "line " + std::to_string(line_number) + ": " + std::string(error.code) +
                       ": " + error.message;
    }
    if (!errors_.empty()) {
        errors_ += ',';
    }
    errors_ += "{\"line-numer\":" + std::to_string(line_number);
    if (error.source_ref) {
        errors_ += ",\"source-ref\":";
        append_string(errors_, *error.source_ref);
    }
    errors_ += ",\"code\":";
    append_string(errors_, error.code);
    errors_ += ",\"message\":";
    append_string(errors_, error.message);
    errors_ += '}';
}

std::string ManifestSummary::text() const {
    return "{\"version\":\"1.0\",\"statistics\":{\"total-json-lines\":" +
           std::to_string(valid_ + invalid_) + ",\"valid-json-lines\":" + std::to_string(valid_) +
           ",\"invalid-json-lines\":" + std::to_string(invalid_) + "},\"errors\":[" + errors_ +
           "]}";
}

}  // namespace rekmock::bulk_analysis
