#pragma once

// The framing rules Beast's parser leaves to its caller (RFC 9112 sections 3.2 and 6.1): a
// request whose body length or target host is ambiguous is refused before its body is read,
// because a server and a proxy that disagree on framing is how requests get smuggled.

#include <optional>
#include <string>

#include "net.hpp"

namespace rekmock::net {

// Why a request header cannot be served, and the status that says so.
struct FramingError {
    http::status status;
    std::string reason;
};

// The reason to refuse `header` (Transfer-Encoding other than exactly "chunked", an HTTP/1.1
// request without Host, two Host fields); std::nullopt when its framing is sound.
std::optional<FramingError> check_framing(const http::request_header<>& header);

}  // namespace rekmock::net
