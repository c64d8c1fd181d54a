#include "streamed_response.hpp"

#include <algorithm>
#include <utility>

namespace rekmock::net {

StreamedResponse::StreamedResponse(HttpResponse&& header, std::shared_ptr<BodySource> source)
    : response_(std::move(header.base())),
      serializer_(response_),
      source_(std::move(source)),
      chunk_(std::make_unique<char[]>(kChunkBytes)),
      remaining_(source_->size()) {
    response_.content_length(remaining_);
}

void StreamedResponse::write(beast::tcp_stream& stream, std::chrono::milliseconds write_timeout,
                             Done done) {
    stream_ = &stream;
    write_timeout_ = write_timeout;
    done_ = std::move(done);
    if (remaining_ == 0) {
        response_.body().data = nullptr;
        response_.body().size = 0;
        response_.body().more = false;
        write_next();
        return;
    }
    // The header waits for the first chunk: one write for both, and a source that fails at once
    // closes the connection before a 200 is sent for a body that never comes.
    read_next();
}

void StreamedResponse::read_next() {
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, remaining_));
    source_->on_reader_thread([self = shared_from_this(), wanted] {
        std::size_t got = 0;
        bool failed = false;
        try {
            got = self->source_->read(self->chunk_.get(), wanted);
        } catch (...) {
            failed = true;
        }
        asio::post(self->stream_->get_executor(),
                   [self, got, failed] { self->on_read(got, failed); });
    });
}

void StreamedResponse::on_read(std::size_t got, bool failed) {
    if (failed || got == 0) {
        // The Content-Length promised more: only closing the connection tells the client.
        finish(make_error_code(beast::errc::io_error));
        return;
    }
    remaining_ -= got;
    response_.body().data = chunk_.get();
    response_.body().size = got;
    response_.body().more = remaining_ > 0;
    write_next();
}

void StreamedResponse::write_next() {
    stream_->expires_after(write_timeout_);
    http::async_write(
        *stream_, serializer_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void StreamedResponse::on_write(beast::error_code ec) {
    if (ec == http::error::need_buffer) {
        // The chunk is on its way to the client: only now is the next one read.
        read_next();
        return;
    }
    finish(ec);
}

void StreamedResponse::finish(beast::error_code ec) {
    // The reader goes first: the connection may stay open for long after.
    source_.reset();
    chunk_.reset();
    const Done done = std::move(done_);
    done(ec);
}

}  // namespace rekmock::net
