#include "output_files.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "json_writer.hpp"

namespace rekmock::bulk_analysis {
namespace {

// Confidences as std::to_chars' shortest form with ".0" on integral values, as the results file
// has always written them; JsonWriter's value(double) is nlohmann's format, which can differ in
// a last digit, and a results file is byte-identical for the same manifest, rules and job.
void write_confidence(json::JsonWriter& out, double confidence) {
    std::array<char, 32> text{};
    const auto end = std::to_chars(text.data(), text.data() + text.size(), confidence).ptr;
    std::string_view written(text.data(), static_cast<std::size_t>(end - text.data()));
    if (written.find_first_of(".e") == std::string_view::npos) {
        std::copy_n(".0", 2, text.data() + written.size());
        written = std::string_view(text.data(), written.size() + 2);
    }
    out.raw_value(written);
}

}  // namespace

std::string results_line(std::string_view source_ref, const ModerationResponse& response) {
    std::string line;
    json::JsonWriter out(line);
    out.begin_object();
    out.member("source-ref", source_ref);
    out.begin_object("detect-moderation-labels");
    out.begin_array("ModerationLabels");
    for (const auto& detected : response.answer.labels) {
        out.begin_object();
        out.key("Confidence");
        write_confidence(out, detected.confidence);
        out.member("Name", detected.label->name);
        out.member("ParentName", detected.label->parent);
        out.member("TaxonomyLevel", static_cast<std::int64_t>(detected.label->level));
        out.end_object();
    }
    out.end_array();
    out.member("ModerationModelVersion", response.model_version);
    out.member("ProjectVersion", response.project_version);
    out.begin_array("ContentTypes");
    for (const auto& type : response.answer.content_types) {
        out.begin_object();
        out.key("Confidence");
        write_confidence(out, type.confidence);
        out.member("Name", type.name);
        out.end_object();
    }
    out.end_array();
    out.end_object();
    out.end_object();
    line += '\n';
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
    std::string element(invalid_ == 0 ? "" : ",");
    json::JsonWriter out(element);
    out.begin_object();
    // AWS's own spelling of the member: "line-numer".
    out.member("line-numer", static_cast<std::int64_t>(line_number));
    out.member("source-ref", error.source_ref);
    out.member("code", error.code);
    out.member("message", error.message);
    out.end_object();
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

}  // namespace rekmock::bulk_analysis
