#pragma once

// A response whose body streams from a BodySource: each chunk is read on the source's reader
// thread and written on the connection's I/O thread, and the next read starts only once that write
// is done, so a connection holds one chunk whatever the body's size and however slowly its
// client reads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "body_source.hpp"
#include "http_types.hpp"
#include "net.hpp"

namespace rekmock::net {

class StreamedResponse : public std::enable_shared_from_this<StreamedResponse> {
  public:
    // The most bytes read ahead of the client, and so held, per streamed response.
    static constexpr std::size_t kChunkBytes = 64 * 1024;
    using Done = std::function<void(beast::error_code)>;

    // `header`'s status and fields (its body is ignored) with `source`'s bytes as the body; the
    // Content-Length is set to the source's size.
    StreamedResponse(HttpResponse&& header, std::shared_ptr<BodySource> source);

    // Writes the header and the body to `stream`, each write bounded by `write_timeout`; then,
    // on the stream's executor and with the source released, calls `done`: with no error once
    // all is written, else why not (the source broke or ended short, the client left, a write
    // timed out). If the source drops a read (see BodySource), `done` is destroyed uncalled.
    // `stream` must outlive the call's end; call once, through a shared_ptr.
    void write(beast::tcp_stream& stream, std::chrono::milliseconds write_timeout, Done done);

  private:
    void read_next();
    void on_read(std::size_t got, bool failed);
    void write_next();
    void on_write(beast::error_code ec);
    void finish(beast::error_code ec);

    http::response<http::buffer_body> response_;
    http::response_serializer<http::buffer_body> serializer_;  // of response_: declared after it
    std::shared_ptr<BodySource> source_;
    std::unique_ptr<char[]> chunk_;
    std::uint64_t remaining_;  // body bytes not yet read from the source
    beast::tcp_stream* stream_ = nullptr;
    std::chrono::milliseconds write_timeout_{0};
    Done done_;
};

}  // namespace rekmock::net
