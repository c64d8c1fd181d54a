#pragma once

// An S3 endpoint URL: "http://127.0.0.1:5000", "https://minio.local:9000/s3". Only what an S3
// client needs of it: the scheme, where to connect, the Host header and a path prefix.

#include <string>
#include <string_view>

namespace rekmock::objects {

struct EndpointUrl {
    bool tls = false;         // https
    std::string host;         // name or address, IPv6 without brackets
    std::string port;         // "80" / "443" when the URL names none
    std::string path_prefix;  // "" or "/s3": prepended to every request path, as given
    std::string host_header;  // "host" or "host:port" (the port only when not the default)
    std::string text;         // the URL as given, for messages

    bool operator==(const EndpointUrl&) const = default;
};

// The parts of `url`; throws std::invalid_argument naming the problem (a scheme other than http
// or https, no host, a port that is not 1-65535, a query or fragment, user info).
EndpointUrl parse_endpoint_url(std::string_view url);

}  // namespace rekmock::objects
