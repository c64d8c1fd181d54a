#include "s3_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace rekmock::objects {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

// Starts one asynchronous operation with a completion handler and runs the io_context until it
// completes or the sooner of `timeout` and the request's budget closes the socket; throws its
// error. Returns its byte count.
template <typename Start>
std::size_t S3Connection::run(std::chrono::milliseconds timeout, Start start) {
    const bool by_deadline = budget_ < timeout;
    if (budget_ <= Clock::duration::zero()) {
        reusable_ = false;
        throw boost::system::system_error(beast::error::timeout, kDeadlinePassed);
    }
    error_code result;
    std::size_t bytes = 0;
    const auto began = Clock::now();
    tcp().expires_after(by_deadline ? budget_ : Clock::duration(timeout));
    start([&](error_code ec, std::size_t n = 0) {
        result = ec;
        bytes = n;
    });
    io_.restart();
    io_.run();
    budget_ -= Clock::now() - began;
    if (result && result != http::error::need_buffer) {
        reusable_ = false;
        if (by_deadline && result == beast::error::timeout) {
            throw boost::system::system_error(result, kDeadlinePassed);
        }
        throw boost::system::system_error(result);
    }
    return bytes;
}

beast::tcp_stream& S3Connection::tcp() noexcept {
    return plain_ ? *plain_ : tls_->next_layer();
}

const beast::tcp_stream& S3Connection::tcp() const noexcept {
    return plain_ ? *plain_ : tls_->next_layer();
}

S3Connection::S3Connection(const EndpointUrl& endpoint, const TlsClientConfig* tls,
                           S3Timeouts timeouts, Clock::duration budget)
    : timeouts_(timeouts), budget_(budget) {
    if (endpoint.tls) {
        tls_ = std::make_unique<TlsStream>(io_, *tls, endpoint.host);
    } else {
        plain_ = std::make_unique<beast::tcp_stream>(io_);
    }
    // Resolution is synchronous: getaddrinfo cannot be cancelled anyway, and an S3 endpoint is
    // an address or a name the resolver answers at once.
    asio::ip::tcp::resolver resolver(io_);
    const auto addresses = resolver.resolve(endpoint.host, endpoint.port);
    const auto deadline = std::chrono::steady_clock::now() + timeouts_.connect;
    const auto left = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
    };
    run(left(), [&](auto handler) {
        tcp().async_connect(addresses, [handler](error_code ec, const auto&) { handler(ec); });
    });
    tcp().socket().set_option(asio::ip::tcp::no_delay(true));
    if (tls_) {
        try {
            run(left(), [&](auto handler) {
                tls_->async_handshake([handler](error_code ec, std::size_t) { handler(ec); });
            });
        } catch (const boost::system::system_error& e) {
            if (e.code() == TlsError::certificate_verify_failed) {
                throw boost::system::system_error(e.code(), tls_->verify_failure());
            }
            throw;
        }
    }
    reusable_ = true;
}

S3Connection::~S3Connection() {
    error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp().socket().close(ignored);
}

void S3Connection::write(S3HttpRequest& request) {
    reusable_ = false;
    run(timeouts_.request, [&](auto handler) {
        if (plain_) {
            http::async_write(*plain_, request, handler);
        } else {
            http::async_write(*tls_, request, handler);
        }
    });
}

std::unique_ptr<S3ResponseParser> S3Connection::read_header(bool head) {
    // RFC 9110 15.2: a client reads interim answers and waits for the final one; each is a
    // message of its own, so each gets a parser of its own.
    for (int interim = 0;; ++interim) {
        auto parser = std::make_unique<S3ResponseParser>();
        // Bodies stream, so no size is too large. Not boost::none: Boost 1.74's parser compares
        // the Content-Length with the empty optional and refuses every body.
        parser->body_limit(std::numeric_limits<std::uint64_t>::max());
        parser->skip(head);
        run(timeouts_.request, [&](auto handler) {
            if (plain_) {
                http::async_read_header(*plain_, buffer_, *parser, handler);
            } else {
                http::async_read_header(*tls_, buffer_, *parser, handler);
            }
        });
        const unsigned status = parser->get().result_int();
        if (status >= 200) {
            return parser;
        }
        // 101 switches the connection to another protocol, which no S3 request asks for.
        if (status == 101 || interim == kMaxInterimAnswers) {
            reusable_ = false;
            throw boost::system::system_error(
                http::error::bad_status,
                status == 101
                    ? "101 Switching Protocols answered a request that asked for no upgrade"
                    : "more than " + std::to_string(kMaxInterimAnswers) + " interim 1xx answers");
        }
    }
}

bool S3Connection::reusable() const noexcept {
    error_code ignored;
    return reusable_ && buffer_.size() == 0 && (!tls_ || tls_->buffered() == 0) &&
           tcp().socket().available(ignored) == 0;
}

std::size_t S3Connection::read_body(S3ResponseParser& parser, char* out, std::size_t capacity) {
    while (!parser.is_done()) {
        auto& body = parser.get().body();
        body.data = out;
        body.size = capacity;
        run(timeouts_.request, [&](auto handler) {
            if (plain_) {
                http::async_read(*plain_, buffer_, parser, handler);
            } else {
                http::async_read(*tls_, buffer_, parser, handler);
            }
        });
        const std::size_t read = capacity - body.size;
        if (read > 0) {
            reusable_ = parser.is_done() && parser.keep_alive();
            return read;
        }
    }
    reusable_ = parser.keep_alive();
    return 0;
}

}  // namespace rekmock::objects
