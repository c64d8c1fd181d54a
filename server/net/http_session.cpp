#include "http_session.hpp"

#include "request_framing.hpp"
#include "session_registry.hpp"
#include "streamed_response.hpp"

namespace rekmock::net {

HttpSession::HttpSession(tcp::socket&& socket, RequestHandler& handler, SessionRegistry& registry,
                         const ConnectionLimits& limits)
    : stream_(std::move(socket)),
      buffer_(limits.header_limit),
      delay_timer_(stream_.get_executor()),
      handler_(handler),
      registry_(registry),
      limits_(limits) {}

HttpSession::~HttpSession() {
    registry_.remove(id_);
}

void HttpSession::run() {
    id_ = registry_.add(weak_from_this());
    // Start on the connection's own I/O thread, where every handler of this session runs.
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::shutdown() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
        self->stopping_ = true;
        // Only a read is cancelled; a response being written is allowed to finish.
        if (self->reading_) {
            self->stream_.cancel();
        }
    });
}

void HttpSession::do_read() {
    if (stopping_) {
        do_close();
        return;
    }
    parser_.emplace();
    parser_->body_limit(limits_.body_limit);
    parser_->header_limit(limits_.header_limit);
    trailer_filter_.reset();
    reading_ = true;
    // The first request's clock starts at the accept, a pipelined one's has already started.
    if (first_request_ || buffer_.size() != 0) {
        first_request_ = false;
        read_header();
        return;
    }
    // Between requests only the idle timeout runs, until the next request's first bytes.
    stream_.expires_after(limits_.idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(buffer_.max_size()),
        beast::bind_front_handler(&HttpSession::on_first_bytes, shared_from_this()));
}

void HttpSession::on_first_bytes(beast::error_code ec, std::size_t bytes) {
    if (ec || stopping_) {
        // Closed, idle too long or shut down, between requests: there is no one to answer.
        reading_ = false;
        do_close();
        return;
    }
    buffer_.commit(bytes);
    read_header();
}

void HttpSession::read_header() {
    stream_.expires_after(limits_.request_timeout);
    // The header first: a client that sends "Expect: 100-continue" waits for our go-ahead
    // before it sends the body.
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::on_read_header, shared_from_this()));
}

void HttpSession::on_read_header(beast::error_code ec, std::size_t bytes) {
    if (!ec) {
        if (auto error = check_framing(parser_->get().base())) {
            reading_ = false;
            send(handler_.reject(error->status, error->reason, parser_->get().version(),
                                 &parser_->get()));
            return;
        }
    }
    if (ec || parser_->is_done()) {
        on_read(ec, bytes);
        return;
    }
    if (parser_->chunked()) {
        trailer_filter_.emplace(parser_->get().base());
    }
    const auto& header = parser_->get();
    if (beast::iequals(header[http::field::expect], "100-continue") && header.version() >= 11) {
        interim_ = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                      header.version());
        http::async_write(stream_, *interim_,
                          [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                              self->interim_.reset();
                              if (write_ec) {
                                  self->reading_ = false;
                                  self->do_close();
                                  return;
                              }
                              self->read_body();
                          });
        return;
    }
    read_body();
}

void HttpSession::read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
    reading_ = false;
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset || stopping_) {
        do_close();
        return;
    }
    if (ec == http::error::body_limit) {
        // Every header field is in, even when a Content-Length over the limit stopped the parser
        // before it called the header done.
        send(
            handler_.reject(http::status::payload_too_large,
                            "Request body exceeds " + std::to_string(limits_.body_limit) + " bytes",
                            parser_->get().version(), &parser_->get()));
        return;
    }
    if (ec == http::error::header_limit) {
        send(handler_.reject(
            http::status::request_header_fields_too_large,
            "Request headers exceed " + std::to_string(limits_.header_limit) + " bytes", 11,
            nullptr));
        return;
    }
    if (ec == http::error::buffer_overflow) {
        // The parser needed more than the buffer holds past the header: a chunk-size line or
        // a trailer section that does not end.
        send(handler_.reject(http::status::bad_request,
                             "Chunk-size line or trailer section exceeds " +
                                 std::to_string(limits_.header_limit) + " bytes",
                             11, header_read()));
        return;
    }
    if (ec) {
        send(handler_.reject(http::status::bad_request, "Malformed HTTP request: " + ec.message(),
                             11, header_read()));
        return;
    }
    if (trailer_filter_) {
        trailer_filter_->drop_trailer(parser_->get().base());
    }
    HandlerResult result = handler_.handle(parser_->get());
    if (result.later) {
        // Computed elsewhere (work on the object store): this session reads nothing more of its
        // connection meanwhile, and the parser keeps the request the handler still reads.
        const auto later = std::move(result.later);
        later([self = shared_from_this()](HandlerResult&& done) {
            auto shared = std::make_shared<HandlerResult>(std::move(done));
            asio::post(self->stream_.get_executor(),
                       [self, shared] { self->answer(std::move(*shared)); });
        });
        return;
    }
    answer(std::move(result));
}

void HttpSession::answer(HandlerResult&& result) {
    if (parser_->get().method() == http::verb::head) {
        // A response to HEAD has the headers of the full response and no body: a streamed body
        // is never read.
        const auto length = result.body ? result.body->size() : result.response.body().size();
        result.response.body().clear();
        result.response.content_length(length);
        result.body.reset();
    }
    send_after(std::move(result));
}

const HttpRequest* HttpSession::header_read() const {
    return parser_->is_header_done() ? &parser_->get() : nullptr;
}

void HttpSession::send_after(HandlerResult&& result) {
    if (result.delay <= std::chrono::milliseconds::zero()) {
        send(std::move(result.response), std::move(result.body));
        return;
    }
    // Hold the response on a timer, not a sleeping thread: other connections go on meanwhile.
    auto held = std::make_shared<HandlerResult>(std::move(result));
    delay_timer_.expires_after(held->delay);
    delay_timer_.async_wait([self = shared_from_this(), held](beast::error_code) {
        self->send(std::move(held->response), std::move(held->body));
    });
}

void HttpSession::send(HttpResponse&& response, std::shared_ptr<BodySource> body) {
    if (body) {
        response.content_length(body->size());
    }
    const bool close = response.need_eof() || stopping_;
    if (close) {
        response.keep_alive(false);
    }
    if (body) {
        // Each chunk's write has the request timeout, as a whole response's write has.
        auto streamed = std::make_shared<StreamedResponse>(std::move(response), std::move(body));
        streamed->write(stream_, limits_.request_timeout,
                        [self = shared_from_this(), close](beast::error_code ec) {
                            self->on_write(close, ec, 0);
                        });
        return;
    }
    response_ = std::make_shared<HttpResponse>(std::move(response));
    stream_.expires_after(limits_.request_timeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close));
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t /*bytes*/) {
    response_.reset();
    if (ec || stopping_) {
        do_close();
        return;
    }
    if (close) {
        linger();
        return;
    }
    do_read();
}

void HttpSession::linger() {
    // The FIN goes out after the response; what the client still sends (the rest of a refused
    // body, pipelined requests) is read and dropped, since closing with unread input makes the
    // kernel send a reset that can destroy the response in the client's receive queue.
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(limits_.linger_timeout);
    drained_ = 0;
    reading_ = true;
    drain();
}

void HttpSession::drain() {
    buffer_.clear();
    stream_.async_read_some(
        buffer_.prepare(buffer_.max_size()),
        [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
            self->drained_ += bytes;
            if (ec || self->stopping_ || self->drained_ >= self->limits_.linger_limit) {
                self->reading_ = false;
                self->do_close();
                return;
            }
            self->drain();
        });
}

void HttpSession::do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
}

}  // namespace rekmock::net
