#include "endpoint_url.hpp"

#include <stdexcept>

#include "whole_number.hpp"

namespace rekmock::objects {
namespace {

[[noreturn]] void refuse(std::string_view url, const std::string& why) {
    throw std::invalid_argument("S3 endpoint URL '" + std::string(url) + "' " + why);
}

}  // namespace

EndpointUrl parse_endpoint_url(std::string_view url) {
    EndpointUrl parsed;
    parsed.text = std::string(url);
    std::string_view rest = url;
    if (rest.starts_with("https://")) {
        parsed.tls = true;
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else {
        refuse(url, "must start with http:// or https://");
    }
    if (rest.find_first_of("?#") != std::string_view::npos) {
        refuse(url, "must not have a query or a fragment");
    }
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        std::string_view prefix = rest.substr(slash);
        while (prefix.ends_with('/')) {
            prefix.remove_suffix(1);
        }
        parsed.path_prefix = std::string(prefix);
    }
    if (authority.find('@') != std::string_view::npos) {
        refuse(url, "must not carry user info: give credentials separately");
    }

    std::string_view port;
    if (authority.starts_with('[')) {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            refuse(url, "has an unclosed '[' in its host");
        }
        parsed.host = std::string(authority.substr(1, close - 1));
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) {
            refuse(url, "has text after its IPv6 address");
        }
        port = after.empty() ? after : after.substr(1);
    } else {
        const std::size_t colon = authority.rfind(':');
        parsed.host = std::string(authority.substr(0, colon));
        port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
        if (parsed.host.find(':') != std::string::npos) {
            refuse(url, "must bracket an IPv6 address: http://[::1]:9000");
        }
    }
    if (parsed.host.empty()) {
        refuse(url, "has no host");
    }
    const std::string_view default_port = parsed.tls ? "443" : "80";
    if (port.empty()) {
        parsed.port = std::string(default_port);
    } else {
        const auto number = whole_number<unsigned>(port);
        if (!number || *number == 0 || *number > 65535) {
            refuse(url, "has a port that is not 1-65535");
        }
        parsed.port = std::to_string(*number);
    }
    const bool ipv6 = parsed.host.find(':') != std::string::npos;
    parsed.host_header = ipv6 ? "[" + parsed.host + "]" : parsed.host;
    if (parsed.port != default_port) {
        parsed.host_header += ":" + parsed.port;
    }
    return parsed;
}

}  // namespace rekmock::objects
