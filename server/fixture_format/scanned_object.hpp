#pragma once

// The fixture reader's fast view of a JSON object in raw text, through which the model decoder
// (protocol/job_description_decoder.hpp, the one decoder) reads a job with no JSON tree: about ten
// times faster than nlohmann. It handles what the API prints (plain ASCII strings, non-negative
// numbers, null, each member once) and declines anything else, and any member the decoder did
// not read, by throwing Declined: the reader then decodes that job from the nlohmann tree, which
// judges strictly and words every error. Where both accept, both yield the same job
// (fuzz_fixture_loader checks it).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_cursor.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::fixtures {

// The fast view declines the text; the caller reads it with nlohmann instead.
struct Declined {};

// Stands for a member path, which the fast view never needs: it words no errors.
struct NoPath {};

// Every member of one job, nested objects' too, read in one pass over its text: each plain string
// scanned once, each number parsed once. One buffer, reused from job to job; each object's
// members are contiguous in it.
struct ScanIndex {
    enum class Kind : unsigned char { Null, String, Number, Object };
    struct Member {
        std::string_view key;
        std::string_view text;  // a string's content
        double number;
        std::uint32_t begin;  // an object's members: [begin, end)
        std::uint32_t end;
        Kind kind;
        bool read;
    };
    std::vector<Member> members;
    int unread = 0;  // members nobody has read yet
};

// One object of an indexed job.
class ScannedObject {
  public:
    // Indexes the job object at the cursor into `index` (cleared first) and moves past it.
    ScannedObject(Cursor& in, ScanIndex& index);
    ScannedObject(ScanIndex& index, std::uint32_t begin, std::uint32_t end)
        : index_(&index), begin_(begin), end_(end) {}

    // Member `name`, now read; nullptr when the object has none.
    const ScanIndex::Member* find(std::string_view name) const;

    // The member readers json::Members has, for the model decoder (null counts as absent).
    std::optional<std::string> string(std::string_view name) const;
    std::optional<double> number(std::string_view name) const;
    std::optional<ScannedObject> object(std::string_view name) const;
    std::string required_string(std::string_view name) const;
    ScannedObject required_object(std::string_view name) const;
    NoPath path_of(std::string_view) const noexcept { return {}; }

  private:
    ScanIndex* index_;
    std::uint32_t begin_;
    std::uint32_t end_;
};

// The timestamp readers request_members.hpp has, for the model decoder.
std::optional<Timestamp> optional_timestamp(const ScannedObject& object, std::string_view name,
                                            bool allow_text);
Timestamp required_timestamp(const ScannedObject& object, std::string_view name, bool allow_text);
template <typename Enum>
Enum decode_enum(std::optional<Enum> parsed, const std::string&, NoPath,
                 std::vector<std::string_view> (*)()) {
    if (!parsed) {
        throw Declined{};
    }
    return *parsed;
}

// The job object at the cursor, decoded by the model decoder through this view (scope unset, not
// validated); throws Declined.
MediaAnalysisJob scan_job(Cursor& in);

}  // namespace rekmock::fixtures
