#pragma once

// The two files a bulk analysis job writes, byte for byte in the shapes of AWS's developer guide
// ("Bulk analysis output manifests"): one results line per valid image, a DetectModerationLabels
// response under "detect-moderation-labels"; and the manifest summary, with AWS's member names
// ("line-numer" included, as AWS spells it). Compact JSON, members in the documented order.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "line_error.hpp"
#include "moderation_answer.hpp"
#include "spool_file.hpp"

namespace rekmock::bulk_analysis {

// What DetectModerationLabels answered for one image.
struct ModerationResponse {
    std::string model_version;                   // "7.0"
    std::optional<std::string> project_version;  // the adapter, when the job used one
    moderation::ModerationAnswer answer;         // the labels and content types found
};

// The results line for the image `source_ref`, newline included. Members in the order of AWS's
// own examples (ModerationLabels' members as DetectModerationLabels sends them: Confidence,
// Name, ParentName, TaxonomyLevel); a confidence in its shortest round-trip form, always with a
// fraction or exponent (93.0, 72.7257) so that every JSON reader sees a float, as AWS writes.
std::string results_line(std::string_view source_ref, const ModerationResponse& response);

// The manifest summary, built line by line. The errors go to a spool file as they come (created
// with the first), so memory does not grow with them; the valid lines are only counted.
class ManifestSummary {
  public:
    // Spools its errors in `spool_folder`, the system's temporary folder when empty.
    explicit ManifestSummary(std::filesystem::path spool_folder = {});
    void add_valid() { ++valid_; }
    // Adds the error of line `line_number`; std::runtime_error when it cannot be spooled.
    void add_error(std::uint64_t line_number, const LineError& error);
    std::uint64_t valid() const noexcept { return valid_; }
    std::uint64_t invalid() const noexcept { return invalid_; }
    // The first error added, for a job that fails with no valid line.
    const std::optional<std::string>& first_error() const noexcept { return first_error_; }
    // Passes the summary document to `sink` in order, at most 64 KiB a call (and the few bytes
    // around the errors); std::runtime_error when the spool cannot be read back.
    void write_to(const std::function<void(std::string_view)>& sink);

  private:
    std::filesystem::path spool_folder_;
    std::uint64_t valid_ = 0;
    std::uint64_t invalid_ = 0;
    std::unique_ptr<SpoolFile> errors_;  // the "errors" array's elements, comma-separated
    std::optional<std::string> first_error_;
};

}  // namespace rekmock::bulk_analysis
