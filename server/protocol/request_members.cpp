#include "request_members.hpp"

#include <limits>

#include "comma_list.hpp"
#include "model_validation.hpp"
#include "protocol_error.hpp"
#include "service_error.hpp"
#include "timestamp_json.hpp"

namespace rekmock::protocol {
namespace {

std::string_view type_name(const Json& value) {
    switch (value.type()) {
        case Json::value_t::string:
            return "a string";
        case Json::value_t::boolean:
            return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return "an integer";
        case Json::value_t::number_float:
            return "a number with a fraction or exponent";
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        default:
            return "null";
    }
}

[[noreturn]] void wrong_type(const Json& value, std::string_view name, const std::string& path,
                             std::string_view expected) {
    throw ProtocolError(ProtocolErrorKind::Serialization,
                        "Member '" + path + std::string(name) + "' must be " +
                            std::string(expected) + ", not " + std::string(type_name(value)));
}

[[noreturn]] void missing(std::string_view name, const std::string& path) {
    throw service::ServiceError(
        service::ErrorKind::InvalidParameter,
        service::describe({{path + std::string(name), "null", "Member must not be null"}}));
}

// The member, or nullptr when absent or JSON null (AWS treats both alike).
const Json* find(const Json& object, std::string_view name) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

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
            "Request body must be a JSON object, not " + std::string(type_name(parsed)));
    }
    return parsed;
}

std::optional<std::string> optional_string(const Json& object, std::string_view name,
                                           const std::string& path) {
    const Json* value = find(object, name);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        wrong_type(*value, name, path, "a string");
    }
    return value->get<std::string>();
}

std::optional<std::int64_t> optional_integer(const Json& object, std::string_view name,
                                             const std::string& path) {
    const Json* value = find(object, name);
    if (value == nullptr) {
        return std::nullopt;
    }
    // The model's integers are 32-bit: anything wider cannot be deserialized, as in AWS.
    constexpr auto kMin = std::numeric_limits<std::int32_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int32_t>::max();
    if (value->is_number_unsigned()) {
        const auto v = value->get<std::uint64_t>();
        if (v <= static_cast<std::uint64_t>(kMax)) {
            return static_cast<std::int64_t>(v);
        }
    } else if (value->is_number_integer()) {
        const auto v = value->get<std::int64_t>();
        if (v >= kMin && v <= kMax) {
            return v;
        }
    } else {
        wrong_type(*value, name, path, "an integer");
    }
    throw ProtocolError(
        ProtocolErrorKind::Serialization,
        "Member '" + path + std::string(name) + "' is out of range for a 32-bit integer");
}

std::optional<double> optional_number(const Json& object, std::string_view name,
                                      const std::string& path) {
    const Json* value = find(object, name);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number()) {
        wrong_type(*value, name, path, "a number");
    }
    return value->get<double>();
}

std::optional<Timestamp> optional_timestamp(const Json& object, std::string_view name,
                                            const std::string& path, bool allow_text) {
    const Json* value = find(object, name);
    if (value == nullptr) {
        return std::nullopt;
    }
    std::optional<Timestamp> parsed;
    if (value->is_number()) {
        parsed = from_epoch_seconds(value->get<double>());
    } else if (allow_text && value->is_string()) {
        parsed = parse_iso8601(value->get_ref<const std::string&>());
    } else {
        wrong_type(*value, name, path,
                   allow_text ? "epoch seconds or ISO-8601 text" : "epoch seconds");
    }
    if (!parsed) {
        throw ProtocolError(ProtocolErrorKind::Serialization,
                            "Member '" + path + std::string(name) + "' is not a valid timestamp");
    }
    return parsed;
}

const Json* optional_object(const Json& object, std::string_view name, const std::string& path) {
    const Json* value = find(object, name);
    if (value != nullptr && !value->is_object()) {
        wrong_type(*value, name, path, "an object");
    }
    return value;
}

std::string required_string(const Json& object, std::string_view name, const std::string& path) {
    auto value = optional_string(object, name, path);
    if (!value) {
        missing(name, path);
    }
    return std::move(*value);
}

const Json& required_object(const Json& object, std::string_view name, const std::string& path) {
    const Json* value = optional_object(object, name, path);
    if (value == nullptr) {
        missing(name, path);
    }
    return *value;
}

Timestamp required_timestamp(const Json& object, std::string_view name, const std::string& path,
                             bool allow_text) {
    const auto value = optional_timestamp(object, name, path, allow_text);
    if (!value) {
        missing(name, path);
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
