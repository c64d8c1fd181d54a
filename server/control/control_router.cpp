#include "control_router.hpp"

namespace rekmock::control {
namespace {

namespace http = boost::beast::http;
using OJson = nlohmann::ordered_json;

constexpr std::string_view kPrefix = "/_mock/";
constexpr std::string_view kLocalStackHealth = "/_localstack/health";

// A newline ends the JSON, for curl users' terminals; objects are sent as stored.
net::HttpResponse json_response(Reply reply, const net::HttpRequest& request) {
    net::HttpResponse response{reply.status, request.version()};
    response.set(http::field::content_type, reply.content_type);
    response.keep_alive(request.keep_alive());
    response.body() = std::move(reply.json);
    if (!reply.verbatim) {
        response.body().push_back('\n');
    }
    response.prepare_payload();
    return response;
}

}  // namespace

ControlRouter::ControlRouter(service::MockControl& control, protocol::FaultInjector& faults,
                             protocol::RequestJournal& journal, ServerInfo info,
                             moderation::RuleBook* rules)
    : state_{control, faults, journal, std::move(info), rules}, routes_(control_routes()) {}

bool ControlRouter::claims(std::string_view target) noexcept {
    const std::string_view path = target.substr(0, target.find('?'));
    return path.starts_with(kPrefix) || path == kLocalStackHealth || path == "/_mock";
}

net::HttpResponse ControlRouter::handle(const net::HttpRequest& request) noexcept {
    try {
        return json_response(reply_to(request), request);
    } catch (...) {
        // Not even an error reply could be built (out of memory): a bare 500.
        net::HttpResponse fallback{http::status::internal_server_error, request.version()};
        fallback.keep_alive(false);
        fallback.prepare_payload();
        return fallback;
    }
}

Reply ControlRouter::reply_to(const net::HttpRequest& request) {
    try {
        const auto target = parse_target(request.target());
        if (!target) {
            bad_request("malformed percent-encoding in the request target");
        }
        const auto route = routes_.match(request.method(), target->segments);
        if (route.allowed.empty()) {
            not_found("no control endpoint " + target->path +
                      "; see the README's Control plane section");
        }
        if (route.handler == nullptr) {
            throw ControlError(http::status::method_not_allowed, "MethodNotAllowed",
                               std::string(http::to_string(request.method())) +
                                   " is not allowed on " + target->path + "; use " +
                                   std::string(http::to_string(route.allowed.back())));
        }
        return (*route.handler)(state_, ControlRequest{request, *target, route.params});
    } catch (const ControlError& e) {
        return reply(OJson{{"Error", e.code()}, {"Message", e.what()}}, e.status());
    } catch (const std::exception& e) {
        return reply(OJson{{"Error", "InternalError"}, {"Message", e.what()}},
                     http::status::internal_server_error);
    }
}

}  // namespace rekmock::control
