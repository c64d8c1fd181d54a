#pragma once

// The HTTP message types shared by the network layer and the protocol layer.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <string_view>

namespace rekmock::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A response and how long to hold it before writing (injected latency; zero for none).
struct HandlerResult {
    HttpResponse response;
    std::chrono::milliseconds delay{0};
};

// What a connection hands its requests to. Implementations must be thread-safe: every
// connection calls the same handler from its own strand.
class RequestHandler {
  public:
    virtual ~RequestHandler() = default;
    // The response to one complete request; never throws.
    virtual HandlerResult handle(const HttpRequest& request) noexcept = 0;
    // The response to a request that could not be read (too large, malformed HTTP); `header` is
    // its header when that was read whole, null otherwise.
    virtual HttpResponse reject(boost::beast::http::status status, std::string_view reason,
                                unsigned http_version, const HttpRequest* header) noexcept = 0;
};

}  // namespace rekmock::net
