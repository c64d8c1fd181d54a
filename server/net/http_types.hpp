#pragma once

// The HTTP message types shared by the network layer and the protocol layer.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "body_source.hpp"

namespace rekmock::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct HandlerResult;
// Where a response that comes later is handed, from any thread, once.
using Deliver = std::function<void(HandlerResult&&)>;

// A response and how long to hold it before writing (injected latency; zero for none), or, when
// `later` is set, a response computed on another thread: the connection calls `later` once with
// where to deliver it, and keeps the request alive and unanswered until then. With a `body`, the
// response's own body is ignored: the header goes out with body->size() as its Content-Length,
// then the body streams from the source.
struct HandlerResult {
    HttpResponse response;
    std::chrono::milliseconds delay{0};
    std::function<void(Deliver)> later;
    std::shared_ptr<BodySource> body = {};
};

// What a connection hands its requests to. Implementations must be thread-safe: every
// connection calls the same handler from its own I/O thread.
class RequestHandler {
  public:
    virtual ~RequestHandler() = default;
    // The response to one complete request (or where it will come from); never throws.
    virtual HandlerResult handle(const HttpRequest& request) noexcept = 0;
    // The response to a request that could not be read (too large, malformed HTTP); `header` is
    // its header when that was read whole, null otherwise.
    virtual HttpResponse reject(boost::beast::http::status status, std::string_view reason,
                                unsigned http_version, const HttpRequest* header) noexcept = 0;
};

}  // namespace rekmock::net
