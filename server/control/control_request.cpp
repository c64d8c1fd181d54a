#include "control_request.hpp"

#include "base64url.hpp"
#include "comma_list.hpp"
#include "json_writer.hpp"
#include "whole_number.hpp"

namespace rekmock::control {
namespace {

[[noreturn]] void refuse(const json::MemberError& error) {
    bad_request(error.name + " must be " + error.expected);
}

constexpr json::Policy kBodyRules{json::Nulls::AbsentStringsAndNumbers, &refuse};

}  // namespace

std::size_t whole_number_param(const std::string& name, std::string_view value, std::size_t max) {
    const auto number = whole_number<std::size_t>(value);
    if (!number || *number < 1 || *number > max) {
        bad_request(name + " must be a whole number from 1 to " + std::to_string(max));
    }
    return *number;
}

std::string page_token(std::string_view text) {
    return service::base64url_encode(std::vector<unsigned char>(text.begin(), text.end()));
}

std::optional<std::string> page_token_text(std::string_view token) {
    const auto bytes = service::base64url_decode(token);
    return bytes ? std::optional(std::string(bytes->begin(), bytes->end())) : std::nullopt;
}

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

std::optional<std::string> ControlRequest::query(std::string_view name) const {
    const auto it = target.query.find(name);
    return it == target.query.end() ? std::nullopt : std::optional(it->second);
}

json::Members ControlRequest::body() const {
    if (!parsed_body) {
        const std::string_view text = http.body();
        auto value =
            text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text, nullptr, false);
        if (value.is_discarded() || !value.is_object()) {
            bad_request("the request body must be a JSON object");
        }
        parsed_body = std::move(value);
    }
    return json::Members(*parsed_body, kBodyRules);
}

Reply reply(const OJson& body, http::status status) {
    return Reply{status, json::to_text(body)};
}

}  // namespace rekmock::control
