#include "cors_policy.hpp"

#include <algorithm>
#include <memory>

namespace rekmock::protocol {
namespace {

namespace http = boost::beast::http;

bool scheme_char(char c, bool first) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alpha || (!first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
}

// The header values that let `origin` read an answer. The origin is echoed rather than "*", so a
// page that sends credentials is served too; Vary keeps caches from reusing it for another.
void allow(net::HttpResponse& response, const std::string& origin) {
    response.set(http::field::access_control_allow_origin, origin);
    response.set(http::field::access_control_expose_headers, kCorsExposedHeaders);
    response.set(http::field::vary, "Origin");
}

}  // namespace

bool CorsPolicy::valid_origin(std::string_view origin) {
    if (origin == "*") {
        return true;
    }
    const auto separator = origin.find("://");
    if (separator == 0 || separator == std::string_view::npos) {
        return false;
    }
    for (std::size_t i = 0; i < separator; ++i) {
        if (!scheme_char(origin[i], i == 0)) {
            return false;
        }
    }
    const std::string_view authority = origin.substr(separator + 3);
    // A host (name, address or [IPv6]) and a port at most: no path, query, user or space.
    return !authority.empty() && authority.find_first_of("/?#@ \t") == std::string_view::npos;
}

std::optional<std::string> CorsPolicy::listed_origin(const net::HttpRequest& request) const {
    const auto found = request.find(http::field::origin);
    if (found == request.end() || origins_.empty()) {
        return std::nullopt;
    }
    const std::string_view origin = found->value();
    const bool listed = std::any_of(origins_.begin(), origins_.end(),
                                    [&](const std::string& o) { return o == "*" || o == origin; });
    return listed ? std::optional<std::string>(origin) : std::nullopt;
}

std::optional<net::HttpResponse> CorsPolicy::preflight(const net::HttpRequest& request) const {
    if (request.method() != http::verb::options ||
        request.find(http::field::access_control_request_method) == request.end()) {
        return std::nullopt;
    }
    const auto origin = listed_origin(request);
    if (!origin) {
        return std::nullopt;
    }
    net::HttpResponse response{http::status::ok, request.version()};
    allow(response, *origin);
    response.set(http::field::access_control_allow_methods, "POST, OPTIONS");
    response.set(http::field::access_control_allow_headers, kCorsAllowedHeaders);
    response.set(http::field::access_control_max_age, "600");
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
}

net::HandlerResult CorsPolicy::share(const net::HttpRequest& request,
                                     net::HandlerResult&& result) const {
    const auto origin = listed_origin(request);
    if (!origin) {
        return std::move(result);
    }
    if (!result.later) {
        allow(result.response, *origin);
        return std::move(result);
    }
    result.later = [later = std::move(result.later), origin = *origin](net::Deliver deliver) {
        later([deliver = std::move(deliver), origin](net::HandlerResult&& done) {
            allow(done.response, origin);
            deliver(std::move(done));
        });
    };
    return std::move(result);
}

}  // namespace rekmock::protocol
