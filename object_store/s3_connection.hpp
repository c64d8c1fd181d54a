#pragma once

// One keep-alive HTTP/1.1 connection to an S3 endpoint, plain or TLS, used by one thread at a
// time. Every step is bounded by its timeout and by what is left of the request's time budget
// (what its deadline allows it to spend on the server); Beast applies a tcp_stream's timeouts to
// asynchronous operations only, so each step runs one asynchronous operation to completion on
// the connection's own io_context.

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/span_body.hpp>
#include <chrono>
#include <cstddef>
#include <memory>

#include "endpoint_url.hpp"
#include "tls_stream.hpp"

namespace rekmock::objects {

// A request whose body is borrowed, so that a retry sends the same bytes without a copy.
using S3HttpRequest = boost::beast::http::request<boost::beast::http::span_body<const char>>;
// A response read incrementally: the body lands in the caller's buffer, never whole in memory.
using S3ResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

// Interim answers (100 Continue, 102 Processing, 103 Early Hints) skipped before a final one; a
// server sending more is not answering.
inline constexpr int kMaxInterimAnswers = 16;

struct S3Timeouts {
    std::chrono::milliseconds connect;  // resolve, connect and TLS handshake together
    std::chrono::milliseconds request;  // each write and each read
};

// What a step that ran out of its request's time budget throws with, after its error code.
inline constexpr const char* kDeadlinePassed = "the S3 request's deadline passed";

class S3Connection {
  public:
    using Clock = std::chrono::steady_clock;

    // Connects to `endpoint`, through TLS with `tls` when it is https (`tls` must then be set and
    // outlive the connection), for a request of time budget `budget` (see start_request()).
    // Throws boost::system::system_error.
    S3Connection(const EndpointUrl& endpoint, const TlsClientConfig* tls, S3Timeouts timeouts,
                 Clock::duration budget);
    S3Connection(const S3Connection&) = delete;
    S3Connection& operator=(const S3Connection&) = delete;
    ~S3Connection();

    // Starts a request that may spend `budget` in all on the server from now: every step's time
    // counts against it, the caller's time between steps does not; a step past it throws
    // system_error (beast::error::timeout, kDeadlinePassed).
    void start_request(Clock::duration budget) noexcept { budget_ = budget; }
    // Sends `request`. Throws boost::system::system_error.
    void write(S3HttpRequest& request);
    // The final response's status line and header fields (of the answer to a HEAD when `head`),
    // interim 1xx answers skipped. Throws boost::system::system_error, also for a 101 Switching
    // Protocols and past kMaxInterimAnswers interim answers.
    std::unique_ptr<S3ResponseParser> read_header(bool head);
    // Reads up to `capacity` bytes of the response's body into `out`; 0 once the body is
    // complete. Throws boost::system::system_error.
    std::size_t read_body(S3ResponseParser& parser, char* out, std::size_t capacity);
    // Whether another request may follow: no error so far, the last response complete, kept
    // alive and followed by nothing (bytes past its end would be read as the next answer).
    bool reusable() const noexcept;

  private:
    template <typename Start>
    std::size_t run(std::chrono::milliseconds timeout, Start start);
    boost::beast::tcp_stream& tcp() noexcept;
    const boost::beast::tcp_stream& tcp() const noexcept;

    boost::asio::io_context io_;
    std::unique_ptr<boost::beast::tcp_stream> plain_;
    std::unique_ptr<TlsStream> tls_;
    boost::beast::flat_buffer buffer_;
    S3Timeouts timeouts_;
    Clock::duration budget_;
    bool reusable_ = false;
};

}  // namespace rekmock::objects
