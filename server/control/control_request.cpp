#include "control_request.hpp"

#include "comma_list.hpp"
#include "json_writer.hpp"

namespace rekmock::control {
namespace {

using Json = nlohmann::json;

// The member `name`, or nullptr when absent (or null, when `null_is_absent`); a BadRequest
// saying it `must_be` so when it is not of the type `is_type` tests.
const Json* member(const Json& object, std::string_view name, bool null_is_absent,
                   bool (Json::*is_type)() const noexcept, std::string_view must_be) {
    const auto it = object.find(name);
    if (it == object.end() || (null_is_absent && it->is_null())) {
        return nullptr;
    }
    if (!((*it).*is_type)()) {
        bad_request(std::string(name) + " must be " + std::string(must_be));
    }
    return &*it;
}

}  // namespace

MediaAnalysisJobStatus job_status_named(std::string_view name) {
    if (const auto status = parse_job_status(name)) {
        return *status;
    }
    bad_request("Status must be one of " + comma_list(all_job_status_names()) + ", not '" +
                std::string(name) + "'");
}

void bad_request(const std::string& message) {
    throw ControlError(http::status::bad_request, "BadRequest", message);
}

void not_found(const std::string& message) {
    throw ControlError(http::status::not_found, "NotFound", message);
}

JsonObject JsonObject::parse(std::string_view text) {
    Json value = text.empty() ? Json::object() : Json::parse(text, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
        bad_request("the request body must be a JSON object");
    }
    return JsonObject(std::move(value));
}

std::optional<std::string> JsonObject::string(std::string_view name) const {
    const Json* value = member(value_, name, true, &Json::is_string, "a string");
    return value ? std::optional(value->get<std::string>()) : std::nullopt;
}

std::optional<double> JsonObject::number(std::string_view name) const {
    const Json* value = member(value_, name, true, &Json::is_number, "a number");
    return value ? std::optional(value->get<double>()) : std::nullopt;
}

std::optional<bool> JsonObject::flag(std::string_view name) const {
    const Json* value = member(value_, name, false, &Json::is_boolean, "true or false");
    return value ? std::optional(value->get<bool>()) : std::nullopt;
}

std::optional<JsonObject> JsonObject::object(std::string_view name) const {
    const Json* value = member(value_, name, false, &Json::is_object, "an object");
    return value ? std::optional(JsonObject(*value)) : std::nullopt;
}

std::optional<std::string> ControlRequest::query(std::string_view name) const {
    const auto it = target.query.find(name);
    return it == target.query.end() ? std::nullopt : std::optional(it->second);
}

Reply reply(const OJson& body, http::status status) {
    return Reply{status, json::to_text(body)};
}

}  // namespace rekmock::control
