#include "request_members.hpp"

#include <limits>

#include "comma_list.hpp"
#include "model_validation.hpp"
#include "protocol_error.hpp"
#include "service_error.hpp"
#include "timestamp_json.hpp"

namespace rekmock::protocol {
namespace {

// A member that does not deserialize, as AWS words it.
[[noreturn]] void not_deserialized(const std::string& path, const std::string& why) {
    throw ProtocolError(ProtocolErrorKind::Serialization, "Member '" + path + "' " + why);
}

// A missing member breaks the model's constraint; one of the wrong type does not deserialize.
[[noreturn]] void refuse(const json::MemberError& error) {
    if (error.fault == json::Fault::Missing) {
        throw service::ServiceError(
            service::ErrorKind::InvalidParameter,
            service::describe({{error.path, "null", "Member must not be null"}}));
    }
    not_deserialized(error.path, "must be " + error.expected + ", not " + error.found);
}

constexpr json::Policy kAwsRules{json::Nulls::Absent, &refuse};

}  // namespace

Json parse_json_object(std::string_view body) {
    if (body.empty()) {
        return Json::object();
    }
    // No request shape nests deeper than a few levels; a depth bound keeps hostile input from
    // costing memory and time. nlohmann's parser is iterative, so the bound is not a stack guard.
    bool too_deep = false;
    const Json::parser_callback_t limit_depth = [&too_deep](int depth, Json::parse_event_t, Json&) {
        // The top-level object is depth 0: kMaxJsonDepth levels are depths 0..kMaxJsonDepth-1.
        too_deep = too_deep || depth >= kMaxJsonDepth;
        return !too_deep;
    };
    Json parsed = Json::parse(body.begin(), body.end(), limit_depth, false);
    if (too_deep) {
        throw ProtocolError(
            ProtocolErrorKind::Serialization,
            "Request body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    if (parsed.is_discarded()) {
        throw ProtocolError(ProtocolErrorKind::Serialization, "Request body is not valid JSON");
    }
    if (!parsed.is_object()) {
        throw ProtocolError(
            ProtocolErrorKind::Serialization,
            "Request body must be a JSON object, not " + std::string(json::type_name(parsed)));
    }
    return parsed;
}

json::Members request_members(const Json& object, std::string prefix) {
    return json::Members(object, kAwsRules, std::move(prefix));
}

std::optional<std::int64_t> optional_integer(const json::Members& object, std::string_view name) {
    const Json* value = object.find(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number_integer()) {
        object.refuse(name, json::Fault::WrongType, "an integer", value);
    }
    // The model's integers are 32-bit: anything wider cannot be deserialized, as in AWS.
    constexpr auto kMin = std::numeric_limits<std::int32_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int32_t>::max();
    const bool fits =
        value->is_number_unsigned()
            ? value->get<std::uint64_t>() <= std::uint64_t{kMax}
            : value->get<std::int64_t>() >= kMin && value->get<std::int64_t>() <= kMax;
    if (!fits) {
        not_deserialized(object.path_of(name), "is out of range for a 32-bit integer");
    }
    return value->get<std::int64_t>();
}

std::optional<Timestamp> optional_timestamp(const json::Members& object, std::string_view name,
                                            bool allow_text) {
    const Json* value = object.find(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    std::optional<Timestamp> parsed;
    if (value->is_number()) {
        parsed = from_epoch_seconds(value->get<double>());
    } else if (allow_text && value->is_string()) {
        parsed = parse_iso8601(value->get_ref<const std::string&>());
    } else {
        object.refuse(name, json::Fault::WrongType,
                      allow_text ? "epoch seconds or ISO-8601 text" : "epoch seconds", value);
    }
    if (!parsed) {
        not_deserialized(object.path_of(name), "is not a valid timestamp");
    }
    return parsed;
}

Timestamp required_timestamp(const json::Members& object, std::string_view name, bool allow_text) {
    const auto value = optional_timestamp(object, name, allow_text);
    if (!value) {
        object.refuse(name, json::Fault::Missing, "a timestamp", nullptr);
    }
    return *value;
}

void invalid_enum(const std::string& value, const std::string& member,
                  const std::vector<std::string_view>& allowed) {
    throw service::ServiceError(
        service::ErrorKind::InvalidParameter,
        service::describe({{member, value,
                            "Member must satisfy enum value set: [" + comma_list(allowed) + "]"}}));
}

}  // namespace rekmock::protocol
