#pragma once

// How the AWS JSON protocol reads JSON: a request body parsed, and members read by AWS's rules
// through the one member reader (json_members.hpp). An absent or null member is std::nullopt; one
// of the wrong JSON type is a SerializationException (ProtocolError); a missing required member
// is the model's "Member must not be null" (InvalidParameterException).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_members.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::protocol {

using Json = nlohmann::json;

// The deepest nesting a request body may have (the API's shapes need 4).
inline constexpr int kMaxJsonDepth = 32;

// Parses a request body; empty means {}. Throws SerializationException unless it is an object
// nested at most kMaxJsonDepth deep.
Json parse_json_object(std::string_view body);

// The members of `object` read by AWS's rules; `prefix` names it in messages ("" at the top
// level, "Input." below it).
json::Members request_members(const Json& object, std::string prefix = {});

// A JSON integer within 32 bits (the model's integers).
std::optional<std::int64_t> optional_integer(const json::Members& object, std::string_view name);
// A timestamp as epoch seconds; also ISO-8601 text when `allow_text` (fixture files).
std::optional<Timestamp> optional_timestamp(const json::Members& object, std::string_view name,
                                            bool allow_text);
Timestamp required_timestamp(const json::Members& object, std::string_view name, bool allow_text);

// The enum value `parsed`, read from `value`; InvalidParameter naming `member` and the values
// `allowed()` lists when there is none.
[[noreturn]] void invalid_enum(const std::string& value, const std::string& member,
                               const std::vector<std::string_view>& allowed);
template <typename Enum>
Enum decode_enum(std::optional<Enum> parsed, const std::string& value, const std::string& member,
                 std::vector<std::string_view> (*allowed)()) {
    if (!parsed) {
        invalid_enum(value, member, allowed());
    }
    return *parsed;
}

}  // namespace rekmock::protocol
