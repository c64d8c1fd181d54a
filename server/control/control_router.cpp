#include "control_router.hpp"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "caller_scope.hpp"
#include "error_response.hpp"
#include "fixture_loader.hpp"
#include "job_description_json.hpp"
#include "operations.hpp"
#include "timestamp_json.hpp"

namespace rekmock::control {
namespace {

namespace http = boost::beast::http;
using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

constexpr std::string_view kPrefix = "/_mock/";
constexpr std::string_view kLocalStackHealth = "/_localstack/health";

// A control request that cannot be served: its HTTP status, a short code and why.
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

[[noreturn]] void bad_request(const std::string& message) {
    throw ControlError(http::status::bad_request, "BadRequest", message);
}

[[noreturn]] void not_found(const std::string& message) {
    throw ControlError(http::status::not_found, "NotFound", message);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out.push_back(' ');
        } else if (text[i] == '%') {
            const int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
            const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
            if (high < 0 || low < 0) {
                bad_request("malformed percent-encoding in the request target");
            }
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

struct Target {
    std::string path;
    std::map<std::string, std::string, std::less<>> query;
};

Target parse_target(std::string_view target) {
    Target parsed;
    const std::size_t question = target.find('?');
    parsed.path = percent_decode(target.substr(0, question));
    if (question == std::string_view::npos) {
        return parsed;
    }
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const std::size_t eq = pair.find('=');
        parsed.query[percent_decode(pair.substr(0, eq))] =
            eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return parsed;
}

Json body_object(const net::HttpRequest& request) {
    if (request.body().empty()) {
        return Json::object();
    }
    Json body = Json::parse(request.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        bad_request("the request body must be a JSON object");
    }
    return body;
}

// An optional string member of `body`; anything but a string is a bad request.
std::optional<std::string> string_member(const Json& body, std::string_view name) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_string()) {
        bad_request(std::string(name) + " must be a string");
    }
    return it->get<std::string>();
}

std::optional<double> number_member(const Json& body, std::string_view name) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_number()) {
        bad_request(std::string(name) + " must be a number");
    }
    return it->get<double>();
}

bool is_account_id(const std::string& text) {
    return text.size() == 12 && text.find_first_not_of("0123456789") == std::string::npos;
}

bool is_region(const std::string& text) {
    return !text.empty() && text.size() <= 32 &&
           text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
}

// The scope named by AccountId and Region (each defaulting), validated.
Scope scope_of(const std::optional<std::string>& account, const std::optional<std::string>& region,
               const std::string& default_account) {
    Scope scope{account.value_or(default_account),
                region.value_or(std::string(protocol::kDefaultRegion))};
    if (!is_account_id(scope.account)) {
        bad_request("AccountId must be 12 digits, not '" + scope.account + "'");
    }
    if (!is_region(scope.region)) {
        bad_request("Region must be a region name such as eu-west-1, not '" + scope.region + "'");
    }
    return scope;
}

std::optional<std::string> query_value(const Target& target, std::string_view name) {
    const auto it = target.query.find(name);
    if (it == target.query.end()) {
        return std::nullopt;
    }
    return it->second;
}

OJson scope_json(const Scope& scope) {
    return OJson{{"AccountId", scope.account}, {"Region", scope.region}};
}

double seconds(std::chrono::milliseconds ms) {
    return static_cast<double>(ms.count()) / 1000.0;
}

// `text` is compact JSON; a newline ends it, for curl users' terminals.
net::HttpResponse json_response(http::status status, std::string text,
                                const net::HttpRequest& request) {
    net::HttpResponse response{status, request.version()};
    response.set(http::field::content_type, "application/json");
    response.keep_alive(request.keep_alive());
    response.body() = std::move(text);
    response.body().push_back('\n');
    response.prepare_payload();
    return response;
}

net::HttpResponse json_response(http::status status, const OJson& body,
                                const net::HttpRequest& request) {
    return json_response(status, body.dump(-1, ' ', false, OJson::error_handler_t::replace),
                         request);
}

// The error types a fault rule may inject: the throttling, capacity, server and permission
// errors every Rekognition operation can answer.
std::optional<service::ErrorKind> injectable_error(const std::string& type) {
    const auto kind = protocol::error_kind_named(type);
    if (kind == service::ErrorKind::Throttling ||
        kind == service::ErrorKind::ProvisionedThroughputExceeded ||
        kind == service::ErrorKind::InternalServerError ||
        kind == service::ErrorKind::AccessDenied) {
        return kind;
    }
    return std::nullopt;
}

protocol::FaultRule parse_fault_rule(const Json& body) {
    protocol::FaultRule rule;
    rule.operation = string_member(body, "Operation").value_or("*");
    if (rule.operation != "*" && protocol::find_operation(rule.operation) == nullptr) {
        bad_request(
            "Operation must be \"*\" or one of GetMediaAnalysisJob, ListMediaAnalysisJobs, "
            "StartMediaAnalysisJob, not '" +
            rule.operation + "'");
    }
    if (const auto error = string_member(body, "Error")) {
        rule.error = injectable_error(*error);
        if (!rule.error) {
            bad_request(
                "Error must be one of ThrottlingException, "
                "ProvisionedThroughputExceededException, InternalServerError, "
                "AccessDeniedException, not '" +
                *error + "'");
        }
    }
    const double latency = number_member(body, "LatencyMs").value_or(0);
    if (!(latency >= 0 && latency <= 60'000)) {
        bad_request("LatencyMs must be between 0 and 60000");
    }
    rule.latency = std::chrono::milliseconds(static_cast<std::int64_t>(latency));
    if (!rule.error && rule.latency.count() == 0) {
        bad_request("a fault rule needs an Error, a LatencyMs above 0, or both");
    }
    const auto count = number_member(body, "Count");
    const auto probability = number_member(body, "Probability");
    if (count.has_value() == probability.has_value()) {
        bad_request("a fault rule needs exactly one of Count and Probability");
    }
    if (count) {
        if (!(*count >= 1 && *count <= 1e9) || std::floor(*count) != *count) {
            bad_request("Count must be a whole number from 1");
        }
        rule.count = static_cast<std::int64_t>(*count);
    } else {
        if (!(*probability > 0 && *probability <= 1)) {
            bad_request("Probability must be above 0 and at most 1");
        }
        rule.probability = *probability;
        const double seed = number_member(body, "Seed").value_or(0);
        if (!(seed >= 0 && seed <= 9007199254740991.0) || std::floor(seed) != seed) {
            bad_request("Seed must be a whole number from 0 to 2^53-1");
        }
        rule.seed = static_cast<std::uint64_t>(seed);
    }
    return rule;
}

OJson fault_json(const protocol::FaultRuleState& state) {
    OJson out{{"Id", state.id}, {"Operation", state.rule.operation}};
    if (state.rule.error) {
        out["Error"] = protocol::error_type_name(*state.rule.error);
    }
    out["LatencyMs"] = state.rule.latency.count();
    if (state.rule.count) {
        out["RemainingCount"] = *state.rule.count;
    } else {
        out["Probability"] = state.rule.probability.value_or(1.0);
        out["Seed"] = state.rule.seed;
    }
    out["Fired"] = state.fired;
    return out;
}

}  // namespace

ControlRouter::ControlRouter(service::MockControl& control, protocol::FaultInjector& faults,
                             protocol::RequestJournal& journal, ServerInfo info)
    : control_(control), faults_(faults), journal_(journal), info_(std::move(info)) {}

bool ControlRouter::claims(std::string_view target) noexcept {
    const std::string_view path = target.substr(0, target.find('?'));
    return path.starts_with(kPrefix) || path == kLocalStackHealth || path == "/_mock";
}

net::HttpResponse ControlRouter::handle(const net::HttpRequest& request) noexcept {
    try {
        try {
            const Target target = parse_target(request.target());
            const http::verb method = request.method();
            const std::string& path = target.path;
            const auto only = [&](http::verb allowed) {
                if (method != allowed) {
                    throw ControlError(http::status::method_not_allowed, "MethodNotAllowed",
                                       std::string(http::to_string(method)) +
                                           " is not allowed on " + path + "; use " +
                                           std::string(http::to_string(allowed)));
                }
            };
            const auto ok = [&](const OJson& body) {
                return json_response(http::status::ok, body, request);
            };

            if (path == kLocalStackHealth) {
                only(http::verb::get);
                return ok(OJson{{"services", {{"rekognition", "running"}}},
                                {"edition", "community"},
                                {"version", "rekognition-mock " + info_.version}});
            }
            if (path == "/_mock/health") {
                only(http::verb::get);
                OJson scopes = OJson::array();
                for (const auto& [scope, jobs] : control_.job_counts()) {
                    OJson entry = scope_json(scope);
                    entry["Jobs"] = jobs;
                    scopes.push_back(std::move(entry));
                }
                const std::chrono::duration<double> uptime =
                    std::chrono::steady_clock::now() - info_.started;
                OJson body{{"Status", "ready"}, {"Version", info_.version}};
                body["UptimeSeconds"] = std::round(uptime.count() * 1000.0) / 1000.0;
                body["Store"] =
                    OJson{{"Kind", info_.store_location == ":memory:" ? "memory" : "file"},
                          {"Location", info_.store_location}};
                body["DefaultAccountId"] = info_.default_account;
                body["ClockOffsetSeconds"] = seconds(control_.clock().offset());
                body["Scopes"] = std::move(scopes);
                return ok(body);
            }
            if (path == "/_mock/reset") {
                only(http::verb::post);
                const Json body = body_object(request);
                const auto account = string_member(body, "AccountId");
                const auto region = string_member(body, "Region");
                const auto reload = body.find("ReloadFixtures");
                if (reload != body.end() && !reload->is_boolean()) {
                    bad_request("ReloadFixtures must be true or false");
                }
                const bool reload_fixtures = reload == body.end() || reload->get<bool>();
                std::optional<Scope> scope;
                if (account || region) {
                    scope = scope_of(account, region, info_.default_account);
                }
                service::ResetResult result;
                try {
                    result = control_.reset(scope, reload_fixtures);
                } catch (const fixtures::FixtureError& e) {
                    // The files were edited since start-up and no longer load: nothing changed.
                    throw ControlError(http::status::conflict, "FixturesNotLoadable", e.what());
                }
                return ok(OJson{{"JobsDeleted", result.jobs_deleted},
                                {"JobsLoaded", result.jobs_loaded}});
            }
            if (path == "/_mock/jobs") {
                if (method == http::verb::get) {
                    const Scope scope =
                        scope_of(query_value(target, "AccountId"), query_value(target, "Region"),
                                 info_.default_account);
                    std::string text;
                    protocol::JsonWriter out(text);
                    out.begin_object();
                    out.member("AccountId", scope.account);
                    out.member("Region", scope.region);
                    out.key("MediaAnalysisJobs");
                    out.begin_array();
                    for (const auto& job : control_.dump(scope)) {
                        protocol::write_job_description(out, job);
                    }
                    out.end_array();
                    out.end_object();
                    return json_response(http::status::ok, std::move(text), request);
                }
                only(http::verb::post);
                std::vector<MediaAnalysisJob> jobs;
                try {
                    jobs = fixtures::parse_fixture(
                        request.body(), "request body",
                        Scope{info_.default_account, std::string(protocol::kDefaultRegion)});
                } catch (const fixtures::FixtureError& e) {
                    bad_request(e.what());
                }
                control_.seed(jobs);
                return ok(OJson{{"JobsSeeded", jobs.size()}});
            }
            if (path.starts_with("/_mock/jobs/") && path.ends_with("/status")) {
                only(http::verb::post);
                const std::string job_id = path.substr(12, path.size() - 12 - 7);
                const Json body = body_object(request);
                const Scope scope = scope_of(string_member(body, "AccountId"),
                                             string_member(body, "Region"), info_.default_account);
                const auto status_name = string_member(body, "Status");
                const auto status = status_name ? parse_job_status(*status_name) : std::nullopt;
                if (!status) {
                    bad_request(
                        "Status must be one of CREATED, QUEUED, IN_PROGRESS, SUCCEEDED, "
                        "FAILED");
                }
                std::optional<MediaAnalysisJobFailureDetails> failure;
                if (const auto it = body.find("FailureDetails"); it != body.end()) {
                    if (*status != MediaAnalysisJobStatus::Failed || !it->is_object()) {
                        bad_request(
                            "FailureDetails must be an object, and only with Status FAILED");
                    }
                    MediaAnalysisJobFailureDetails details;
                    if (const auto code = string_member(*it, "Code")) {
                        details.code = parse_failure_code(*code);
                        if (!details.code) {
                            bad_request("FailureDetails.Code '" + *code +
                                        "' is not a MediaAnalysisJobFailureCode");
                        }
                    }
                    details.message = string_member(*it, "Message");
                    failure = std::move(details);
                }
                const auto job = control_.set_status(scope, job_id, *status, failure);
                if (!job) {
                    not_found("no job '" + job_id + "' in account " + scope.account + ", " +
                              scope.region);
                }
                return json_response(http::status::ok, protocol::encode_job_description(*job),
                                     request);
            }
            if (path == "/_mock/clock/advance") {
                only(http::verb::post);
                const auto by = number_member(body_object(request), "Seconds");
                if (!by || !(*by >= 0 && *by <= 10.0 * 365 * 86400)) {
                    bad_request("Seconds must be a number from 0 to ten years");
                }
                const auto offset = control_.advance_clock(
                    std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(*by * 1000))));
                return ok(OJson{{"ClockOffsetSeconds", seconds(offset)}});
            }
            if (path == "/_mock/faults") {
                if (method == http::verb::get) {
                    OJson rules = OJson::array();
                    for (const auto& state : faults_.list()) {
                        rules.push_back(fault_json(state));
                    }
                    return ok(OJson{{"Faults", std::move(rules)}});
                }
                if (method == http::verb::delete_) {
                    const auto removed = faults_.list().size();
                    faults_.clear();
                    return ok(OJson{{"FaultsCleared", removed}});
                }
                only(http::verb::post);
                const std::string id = faults_.add(parse_fault_rule(body_object(request)));
                for (const auto& state : faults_.list()) {
                    if (state.id == id) {
                        return json_response(http::status::created, fault_json(state), request);
                    }
                }
                return json_response(http::status::created, OJson{{"Id", id}}, request);
            }
            if (path.starts_with("/_mock/faults/")) {
                only(http::verb::delete_);
                const std::string id = path.substr(14);
                if (!faults_.remove(id)) {
                    not_found("no fault rule '" + id + "'");
                }
                return ok(OJson{{"FaultsCleared", 1}});
            }
            if (path == "/_mock/requests") {
                if (method == http::verb::delete_) {
                    journal_.clear();
                    return ok(OJson{{"RequestsCleared", true}});
                }
                only(http::verb::get);
                std::size_t limit = 100;
                if (const auto text = query_value(target, "Limit")) {
                    const bool digits = !text->empty() && text->size() <= 4 &&
                                        text->find_first_not_of("0123456789") == std::string::npos;
                    limit = digits ? std::stoul(*text) : 0;
                    if (limit < 1 || limit > 1000) {
                        bad_request("Limit must be a whole number from 1 to 1000");
                    }
                }
                OJson records = OJson::array();
                for (const auto& record : journal_.recent(limit)) {
                    OJson entry{{"Time", protocol::to_epoch_seconds(record.time)},
                                {"RequestId", record.request_id},
                                {"Operation", record.operation},
                                {"AccountId", record.caller.account},
                                {"Region", record.caller.region},
                                {"Status", record.status}};
                    if (!record.error_type.empty()) {
                        entry["ErrorType"] = record.error_type;
                    }
                    records.push_back(std::move(entry));
                }
                return ok(OJson{{"Requests", std::move(records)}});
            }
            not_found("no control endpoint " + path + "; see the README's Control plane section");
        } catch (const ControlError& e) {
            return json_response(e.status(), OJson{{"Error", e.code()}, {"Message", e.what()}},
                                 request);
        } catch (const std::exception& e) {
            return json_response(http::status::internal_server_error,
                                 OJson{{"Error", "InternalError"}, {"Message", e.what()}}, request);
        }
    } catch (...) {
        net::HttpResponse fallback{http::status::internal_server_error, request.version()};
        fallback.keep_alive(false);
        fallback.prepare_payload();
        return fallback;
    }
}

}  // namespace rekmock::control
