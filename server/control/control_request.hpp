#pragma once

// What a control endpoint deals in: the request, with its JSON members read type-checked, its
// reply, and the error that refuses it (which the router answers as {"Error", "Message"}).

#include <boost/beast/http/status.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http_types.hpp"
#include "json_members.hpp"
#include "media_analysis_job.hpp"
#include "route_table.hpp"

namespace rekmock::control {

// The control layer's shorthands: every file of it speaks Beast's HTTP and ordered JSON.
namespace http = boost::beast::http;
using OJson = nlohmann::ordered_json;

class ControlError : public std::runtime_error {
  public:
    ControlError(http::status status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    http::status status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }

  private:
    http::status status_;
    std::string code_;
};

// Throws 400 BadRequest / 404 NotFound.
[[noreturn]] void bad_request(const std::string& message);
[[noreturn]] void not_found(const std::string& message);

// Query parameter `name`'s `value` as a whole number from 1 to `max`; a BadRequest otherwise.
std::size_t whole_number_param(const std::string& name, std::string_view value, std::size_t max);

// A page's NextToken carrying `text`, opaque so that clients pass it back rather than make one;
// and the text a token carries, if it is one.
std::string page_token(std::string_view text);
std::optional<std::string> page_token_text(std::string_view token);

// The job status `name` spells (a body's or a query's Status); a BadRequest listing the
// statuses otherwise.
MediaAnalysisJobStatus job_status_named(std::string_view name);

struct ControlRequest {
    const net::HttpRequest& http;
    const RequestTarget& target;
    const Params& params;  // the path's

    // The query parameter `name`; std::nullopt when absent.
    std::optional<std::string> query(std::string_view name) const;
    // The JSON body's members, parsed on first use: empty is {}, anything but a JSON object is a
    // BadRequest. A member of the wrong type is a BadRequest naming it. A null string or number
    // is absent (clients send null for members they leave unset); a null flag or object is
    // refused (a client that sends it meant something, not the default).
    json::Members body() const;

    // The body as body() parsed it, kept for the Members it returns to view.
    mutable std::optional<nlohmann::json> parsed_body = {};
};

// An endpoint's answer: a status and compact JSON text.
struct Reply {
    http::status status;
    std::string json;  // the body: JSON, unless content_type says otherwise
    std::string content_type = "application/json";
    // The body is an object's bytes, sent exactly as stored (no newline added for terminals).
    bool verbatim = false;
    // Header fields beyond those every control answer carries.
    std::vector<std::pair<std::string, std::string>> headers = {};
    // When set, the body streams from it instead (an object too large to hold: json is empty).
    std::shared_ptr<net::BodySource> stream = {};
};

// `body` as a Reply.
Reply reply(const OJson& body, http::status status = http::status::ok);

}  // namespace rekmock::control
