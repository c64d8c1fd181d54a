#pragma once

// One HTTP/1.1 connection: read a request (bounded in size and time), hand it to the handler,
// write the response (its body streamed from a BodySource when it has one), repeat while
// keep-alive holds. Lives as long as an operation holds a shared_from_this(); runs on one I/O
// thread (IoThreads).

#include <memory>
#include <optional>

#include "connection_limits.hpp"
#include "http_types.hpp"
#include "net.hpp"
#include "trailer_filter.hpp"

namespace rekmock::net {

class SessionRegistry;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(tcp::socket&& socket, RequestHandler& handler, SessionRegistry& registry,
                const ConnectionLimits& limits);
    ~HttpSession();

    // Starts serving; call once, right after construction through make_shared.
    void run();
    // Finishes the response in flight, if any, then closes; safe from any thread.
    void shutdown();

  private:
    void do_read();
    void on_first_bytes(beast::error_code ec, std::size_t bytes);
    void read_header();
    void on_read_header(beast::error_code ec, std::size_t bytes);
    void read_body();
    void on_read(beast::error_code ec, std::size_t bytes);
    // The request's header once read whole, else null: what a rejection can still report.
    const HttpRequest* header_read() const;
    // Answers the request just read with `result`, whether it came at once or later.
    void answer(HandlerResult&& result);
    // Writes `response`, its body streamed from `body` when there is one.
    void send(HttpResponse&& response, std::shared_ptr<BodySource> body = nullptr);
    void send_after(HandlerResult&& result);
    void on_write(bool close, beast::error_code ec, std::size_t bytes);
    void linger();
    void drain();
    void do_close();

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;  // at most header_limit bytes: see ConnectionLimits
    asio::steady_timer delay_timer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<TrailerFilter> trailer_filter_;  // set while a chunked body is read
    std::shared_ptr<HttpResponse> response_;
    std::shared_ptr<http::response<http::empty_body>> interim_;  // 100 Continue in flight
    RequestHandler& handler_;
    SessionRegistry& registry_;
    ConnectionLimits limits_;
    std::uint64_t id_ = 0;
    std::uint64_t drained_ = 0;  // bytes discarded while lingering
    bool reading_ = false;
    bool stopping_ = false;
    bool first_request_ = true;
};

}  // namespace rekmock::net
