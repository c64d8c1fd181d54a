#include "control_router.hpp"

#include <cstdint>

#include "origin_guard.hpp"
#include "would_block.hpp"

namespace rekmock::control {
namespace {

constexpr std::string_view kPrefix = "/_mock/";
constexpr std::string_view kLocalStackHealth = "/_localstack/health";

// Every control answer may end up in a browser (the view at /_mock/ui, or a JSON answer opened
// in a tab): no script but the view's own files, no inline script or style, no framing (a page
// could otherwise overlay the view's buttons), no sniffing JSON into a page.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// A strong validator of `body`: its 64-bit FNV-1a, quoted.
std::string etag_of(std::string_view body) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : body) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string tag = "\"";
    for (int shift = 60; shift >= 0; shift -= 4) {
        tag.push_back(kHex[(hash >> shift) & 0xF]);
    }
    return tag + "\"";
}

// A newline ends the JSON, for curl users' terminals; objects are sent as stored. A GET's
// answer carries an ETag and must be revalidated (no-cache): a poller that sends it back in
// If-None-Match gets 304 and no body while nothing changed, and never a stale answer. A streamed
// answer has no ETag (its bytes are not all known before they are sent) and is not stored.
net::HandlerResult control_response(Reply reply, const net::HttpRequest& request) {
    net::HttpResponse response{reply.status, request.version()};
    response.set(http::field::content_type, reply.content_type);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy", kContentSecurityPolicy);
    response.set("Referrer-Policy", "no-referrer");
    for (const auto& [name, value] : reply.headers) {
        response.set(name, value);
    }
    response.keep_alive(request.keep_alive());
    if (reply.stream) {
        response.set(http::field::cache_control, "no-store");
        return {std::move(response), {}, {}, std::move(reply.stream)};
    }
    response.body() = std::move(reply.json);
    if (!reply.verbatim) {
        response.body().push_back('\n');
    }
    if (request.method() == http::verb::get && reply.status == http::status::ok) {
        const std::string tag = etag_of(response.body());
        response.set(http::field::cache_control, "no-cache");
        response.set(http::field::etag, tag);
        if (request[http::field::if_none_match].find(tag) != std::string_view::npos) {
            response.result(http::status::not_modified);
            response.body().clear();
        }
    } else {
        response.set(http::field::cache_control, "no-store");
    }
    response.prepare_payload();
    return {std::move(response), {}, {}};
}

}  // namespace

ControlRouter::ControlRouter(MockControl& control, ServerInfo info)
    : state_{control, std::move(info)}, routes_(control_routes()) {}

bool ControlRouter::claims(std::string_view target) noexcept {
    const std::string_view path = target.substr(0, target.find('?'));
    return path.starts_with(kPrefix) || path == kLocalStackHealth || path == "/_mock";
}

net::HandlerResult ControlRouter::serve(const net::HttpRequest& request) noexcept {
    try {
        try {
            return control_response(reply_to(request), request);
        } catch (const service::WouldBlock& pending) {
            // Endpoints throw it before they change anything: served again whole, on a worker.
            return {{}, {}, [this, &request, pending](net::Deliver deliver) {
                        service::resume_until_done(
                            pending, [this, &request] { return reply_to(request); },
                            [&request, deliver](Reply&& reply) {
                                deliver(control_response(std::move(reply), request));
                            });
                    }};
        }
    } catch (...) {
        // Not even an error reply could be built (out of memory): a bare 500.
        net::HttpResponse fallback{http::status::internal_server_error, request.version()};
        fallback.keep_alive(false);
        fallback.prepare_payload();
        return {std::move(fallback), {}, {}};
    }
}

Reply ControlRouter::reply_to(const net::HttpRequest& request) {
    try {
        // Before anything else: a cross-site page learns nothing and changes nothing.
        check_browser_request(request);
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
