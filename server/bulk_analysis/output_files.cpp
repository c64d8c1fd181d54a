#include "output_files.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

namespace rekmock::bulk_analysis {
namespace {

void append_string(std::string& out, std::string_view text) {
    // Nearly every source-ref and label is printable ASCII with nothing to escape: written as
    // is, without nlohmann's detour through a json value (a third of a job's time otherwise).
    const bool plain = std::ranges::all_of(text, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
    });
    if (plain) {
        out += '"';
        out += text;
        out += '"';
        return;
    }
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_confidence(std::string& out, double confidence) {
    std::array<char, 32> text{};
    const auto end = std::to_chars(text.data(), text.data() + text.size(), confidence).ptr;
    const std::string_view written(text.data(), static_cast<std::size_t>(end - text.data()));
    out += written;
    if (written.find_first_of(".e") == std::string_view::npos) {
        out += ".0";
    }
}

}  // namespace

std::string results_line(std::string_view source_ref, const ModerationResponse& response) {
    std::string line = "{\"source-ref\":";
    append_string(line, source_ref);
    line += ",\"detect-moderation-labels\":{\"ModerationLabels\":[";
    bool first = true;
    for (const auto& detected : response.answer.labels) {
        line += first ? "{\"Confidence\":" : ",{\"Confidence\":";
        first = false;
        append_confidence(line, detected.confidence);
        line += ",\"Name\":";
        append_string(line, detected.label->name);
        line += ",\"ParentName\":";
        append_string(line, detected.label->parent);
        line += ",\"TaxonomyLevel\":" + std::to_string(detected.label->level) + "}";
    }
    line += "],\"ModerationModelVersion\":";
    append_string(line, response.model_version);
    if (response.project_version) {
        line += ",\"ProjectVersion\":";
        append_string(line, *response.project_version);
    }
    line += ",\"ContentTypes\":[";
    first = true;
    for (const auto& type : response.answer.content_types) {
        line += first ? "{\"Confidence\":" : ",{\"Confidence\":";
        first = false;
        append_confidence(line, type.confidence);
        line += ",\"Name\":";
        append_string(line, type.name);
        line += "}";
    }
    line += "]}}\n";
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
