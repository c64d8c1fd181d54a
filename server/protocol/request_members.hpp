#pragma once

// Type-checked reads of members from a decoded JSON object. A member of the wrong JSON type is a
// SerializationException (ProtocolError); an absent or null member is std::nullopt; a missing
// required member is the model's "Member must not be null" (InvalidParameterException).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::protocol {

using Json = nlohmann::json;

// The deepest nesting a request body may have (the API's shapes need 4).
inline constexpr int kMaxJsonDepth = 32;

// Parses a request body; empty means {}. Throws SerializationException unless it is an object
// nested at most kMaxJsonDepth deep.
Json parse_json_object(std::string_view body);

// `path` names the enclosing object in messages ("" at the top level, "Input." below it).
std::optional<std::string> optional_string(const Json& object, std::string_view name,
                                           const std::string& path);
std::optional<std::int64_t> optional_integer(const Json& object, std::string_view name,
                                             const std::string& path);
std::optional<double> optional_number(const Json& object, std::string_view name,
                                      const std::string& path);
// A timestamp as epoch seconds; also ISO-8601 text when `allow_text` (fixture files).
std::optional<Timestamp> optional_timestamp(const Json& object, std::string_view name,
                                            const std::string& path, bool allow_text);
// The member if it is an object; nullptr when absent or null.
const Json* optional_object(const Json& object, std::string_view name, const std::string& path);

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

// The same, for members the model requires.
std::string required_string(const Json& object, std::string_view name, const std::string& path);
const Json& required_object(const Json& object, std::string_view name, const std::string& path);
Timestamp required_timestamp(const Json& object, std::string_view name, const std::string& path,
                             bool allow_text);

}  // namespace rekmock::protocol
