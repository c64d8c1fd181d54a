#include "origin_guard.hpp"

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/beast/core/string.hpp>
#include <locale>
#include <string>
#include <string_view>

#include "control_request.hpp"

namespace rekmock::control {
namespace {

std::string_view trimmed(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t");
    return first == std::string_view::npos
               ? std::string_view()
               : text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "host:80" and "host" name one authority for http (443 for https).
std::string without_default_port(std::string authority, std::string_view port) {
    if (authority.ends_with(port)) {
        authority.resize(authority.size() - port.size());
    }
    return authority;
}

// True when `origin` is the origin of a page this mock served under `host` (its Host header):
// http, or https where a TLS proxy stands in front, the mock cannot tell which.
bool is_own_origin(std::string_view origin, std::string_view host) {
    const std::string sent =
        boost::algorithm::to_lower_copy(std::string(trimmed(origin)), std::locale::classic());
    const std::string own =
        boost::algorithm::to_lower_copy(std::string(trimmed(host)), std::locale::classic());
    if (own.empty()) {
        return false;
    }
    for (const auto& [scheme, port] : {std::pair{std::string_view("http://"), ":80"},
                                       std::pair{std::string_view("https://"), ":443"}}) {
        if (sent.starts_with(scheme)) {
            return without_default_port(sent.substr(scheme.size()), port) ==
                   without_default_port(own, port);
        }
    }
    return false;
}

bool changes_state(http::verb method) {
    return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

}  // namespace

void check_browser_request(const net::HttpRequest& request) {
    const auto origin = request.find(http::field::origin);
    if (!changes_state(request.method()) || origin == request.end()) {
        return;
    }
    if (!is_own_origin(origin->value(), request[http::field::host])) {
        throw ControlError(
            http::status::forbidden, "CrossOriginRequest",
            "a page from origin '" + std::string(origin->value()) +
                "' may not change the mock's state: the control plane takes state changes from "
                "its own page (/_mock/ui) and from clients that send no Origin (curl, SDKs, "
                "tests)");
    }
    const std::string_view type = request[http::field::content_type];
    if (!boost::beast::iequals(trimmed(type.substr(0, type.find(';'))), "application/json")) {
        throw ControlError(http::status::unsupported_media_type, "UnsupportedMediaType",
                           "a state-changing control request from a browser must be sent with "
                           "Content-Type: application/json, not '" +
                               std::string(type) + "'");
    }
}

}  // namespace rekmock::control
