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

ManifestSummary::ManifestSummary(std::filesystem::path spool_folder)
    : spool_folder_(std::move(spool_folder)) {}

void ManifestSummary::add_error(std::uint64_t line_number, const LineError& error) {
    if (!first_error_) {
        first_error_ = "line " + std::to_string(line_number) + ": " + std::string(error.code) +
                       ": " + error.message;
    }
    if (!errors_) {
        errors_ = std::make_unique<SpoolFile>(
            spool_folder_.empty() ? std::filesystem::temp_directory_path() : spool_folder_);
    }
    std::string element = invalid_ == 0 ? "{\"line-numer\":" : ",{\"line-numer\":";
    element += std::to_string(line_number);
    if (error.source_ref) {
        element += ",\"source-ref\":";
        append_string(element, *error.source_ref);
    }
    element += ",\"code\":";
    append_string(element, error.code);
    element += ",\"message\":";
    append_string(element, error.message);
    element += '}';
    errors_->append(element);
    ++invalid_;
}

void ManifestSummary::write_to(const std::function<void(std::string_view)>& sink) {
    sink("{\"version\":\"1.0\",\"statistics\":{\"total-json-lines\":" +
         std::to_string(valid_ + invalid_) + ",\"valid-json-lines\":" + std::to_string(valid_) +
         ",\"invalid-json-lines\":" + std::to_string(invalid_) + "},\"errors\":[");
    if (errors_) {
        errors_->read_back(sink);
    }
    sink("]}");
}

std::string ManifestSummary::text() {
    std::string text;
    write_to([&text](std::string_view chunk) { text += chunk; });
    return text;
}

}  // namespace rekmock::bulk_analysis
