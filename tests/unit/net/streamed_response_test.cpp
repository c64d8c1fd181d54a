// Responses whose body streams from a BodySource, through a real server on loopback: the body
// whole behind its Content-Length, keep-alive after it, HEAD without reading it, a broken source
// or a departed client ending the connection and releasing the source, and the I/O thread free
// while a read blocks.

#include "streamed_response.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "http_server.hpp"

namespace net = rekmock::net;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

namespace {

// What a test sees of its sources, shared with them.
struct Probe {
    std::atomic<int> reads{0};
    std::atomic<int> released{0};
    std::optional<std::size_t> fail_at;  // bytes after which read() throws
    // While `held`, read() waits: a read that blocks on a slow object store.
    std::mutex mutex;
    std::condition_variable changed;
    bool held = false;
    bool reading = false;

    void release() {
        std::lock_guard lock(mutex);
        held = false;
        changed.notify_all();
    }
};

class TestSource final : public net::BodySource {
  public:
    TestSource(std::string bytes, Probe& probe, asio::thread_pool& pool)
        : bytes_(std::move(bytes)), probe_(probe), pool_(pool) {}
    ~TestSource() override { ++probe_.released; }

    std::uint64_t size() const noexcept override { return bytes_.size(); }
    void on_reader_thread(std::function<void()> task) override {
        asio::post(pool_, std::move(task));
    }
    std::size_t read(char* out, std::size_t capacity) override {
        ++probe_.reads;
        {
            std::unique_lock lock(probe_.mutex);
            probe_.reading = true;
            probe_.changed.notify_all();
            probe_.changed.wait(lock, [this] { return !probe_.held; });
        }
        if (probe_.fail_at && at_ >= *probe_.fail_at) {
            throw std::runtime_error("the store broke");
        }
        const std::size_t given = std::min(capacity, bytes_.size() - at_);
        std::memcpy(out, bytes_.data() + at_, given);
        at_ += given;
        return given;
    }

  private:
    std::string bytes_;
    std::size_t at_ = 0;
    Probe& probe_;
    asio::thread_pool& pool_;
};

// GET /stream answers `body` from a TestSource; anything else answers "ok" at once.
struct StreamingHandler final : net::RequestHandler {
    net::HandlerResult handle(const net::HttpRequest& request) noexcept override {
        net::HttpResponse response{http::status::ok, request.version()};
        response.keep_alive(request.keep_alive());
        response.set(http::field::content_type, "application/octet-stream");
        if (request.target() != "/stream") {
            response.body() = "ok";
            response.prepare_payload();
            return {std::move(response), {}, {}};
        }
        return {std::move(response), {}, {}, std::make_shared<TestSource>(body, probe, pool)};
    }
    net::HttpResponse reject(http::status status, std::string_view, unsigned version,
                             const net::HttpRequest*) noexcept override {
        net::HttpResponse response{status, version};
        response.keep_alive(false);
        response.prepare_payload();
        return response;
    }

    std::string body;
    Probe probe;
    asio::thread_pool pool{2};
};

// A server on a free loopback port with one I/O thread, served until destroyed.
struct RunningServer {
    explicit RunningServer(std::string body)
        : server("127.0.0.1", 0, 1, handler, net::ConnectionLimits{}),
          thread([this] { server.run(100ms); }) {
        handler.body = std::move(body);
    }
    ~RunningServer() {
        handler.probe.release();
        server.stop();
        thread.join();
        handler.pool.join();
    }
    StreamingHandler handler;
    net::HttpServer server;
    std::thread thread;
};

// Bytes that differ at every position a chunk boundary could fall on.
std::string pattern(std::size_t size) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>((i * 7919 + i / 251) & 0xFF);
    }
    return bytes;
}

void request(net::tcp::socket& socket, http::verb method, std::string_view target) {
    http::request<http::empty_body> req{method, target, 11};
    req.set(http::field::host, "h");
    http::write(socket, req);
}

// The connection still serves: a plain request after the streamed one is answered whole.
void check_next_request_answered(net::tcp::socket& socket, beast::flat_buffer& buffer) {
    request(socket, http::verb::get, "/plain");
    http::response<http::string_body> next;
    http::read(socket, buffer, next);
    CHECK(next.body() == "ok");
}

// Polls `done` until it holds or 10 s pass; whether it held.
template <typename Done>
bool eventually(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::yield();
    }
    return true;
}

}  // namespace

TEST_CASE("a streamed body arrives whole behind its Content-Length, and keep-alive holds") {
    const std::string body = pattern(3 * net::StreamedResponse::kChunkBytes + 17);
    RunningServer running(body);
    asio::io_context ioc;
    net::tcp::socket socket(ioc);
    socket.connect(running.server.local_endpoint());
    beast::flat_buffer buffer;

    request(socket, http::verb::get, "/stream");
    http::response_parser<http::string_body> parser;
    parser.body_limit(body.size() + 1);
    http::read(socket, buffer, parser);
    const auto& response = parser.get();
    CHECK(response.result() == http::status::ok);
    CHECK(response[http::field::content_length] == std::to_string(body.size()));
    CHECK(response[http::field::content_type] == "application/octet-stream");
    CHECK(response.body() == body);
    CHECK(eventually([&] { return running.handler.probe.released == 1; }));

    check_next_request_answered(socket, buffer);
}

TEST_CASE("HEAD has the streamed body's length and no body, and never reads the source") {
    RunningServer running(pattern(100'000));
    asio::io_context ioc;
    net::tcp::socket socket(ioc);
    socket.connect(running.server.local_endpoint());
    beast::flat_buffer buffer;

    request(socket, http::verb::head, "/stream");
    http::response_parser<http::empty_body> parser;
    parser.skip(true);
    http::read(socket, buffer, parser);
    CHECK(parser.get()[http::field::content_length] == "100000");
    CHECK(running.handler.probe.reads == 0);
    CHECK(eventually([&] { return running.handler.probe.released == 1; }));

    check_next_request_answered(socket, buffer);
}

TEST_CASE("a source that breaks mid-body ends the connection short of its Content-Length") {
    RunningServer running(pattern(8 * net::StreamedResponse::kChunkBytes));
    running.handler.probe.fail_at = 2 * net::StreamedResponse::kChunkBytes;
    asio::io_context ioc;
    net::tcp::socket socket(ioc);
    socket.connect(running.server.local_endpoint());
    beast::flat_buffer buffer;

    request(socket, http::verb::get, "/stream");
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * net::StreamedResponse::kChunkBytes);
    beast::error_code ec;
    http::read(socket, buffer, parser, ec);
    CHECK(ec == http::error::partial_message);
    CHECK(parser.get().body().size() == 2 * net::StreamedResponse::kChunkBytes);
    CHECK(eventually([&] { return running.handler.probe.released == 1; }));
}

TEST_CASE("a client that leaves mid-body releases the source, and the server goes on") {
    RunningServer running(pattern(64 * 1024 * 1024));
    asio::io_context ioc;
    {
        net::tcp::socket socket(ioc);
        socket.connect(running.server.local_endpoint());
        request(socket, http::verb::get, "/stream");
        char some[1024];
        asio::read(socket, asio::buffer(some));
        // Reset rather than FIN: the next write fails at once, as when a browser tab closes.
        socket.set_option(asio::socket_base::linger(true, 0));
    }
    CHECK(eventually([&] { return running.handler.probe.released == 1; }));
    // Well short of the 1024 chunks of the whole body: it stopped when the client left.
    CHECK(running.handler.probe.reads < 512);

    net::tcp::socket other(ioc);
    other.connect(running.server.local_endpoint());
    request(other, http::verb::get, "/plain");
    beast::flat_buffer buffer;
    http::response<http::string_body> next;
    http::read(other, buffer, next);
    CHECK(next.body() == "ok");
}

TEST_CASE("the only I/O thread serves others while a streamed body's read blocks") {
    RunningServer running(pattern(net::StreamedResponse::kChunkBytes * 2));
    Probe& probe = running.handler.probe;
    probe.held = true;
    asio::io_context ioc;
    net::tcp::socket slow(ioc);
    slow.connect(running.server.local_endpoint());
    request(slow, http::verb::get, "/stream");
    {
        std::unique_lock lock(probe.mutex);
        REQUIRE(probe.changed.wait_for(lock, 10s, [&] { return probe.reading; }));
    }

    net::tcp::socket other(ioc);
    other.connect(running.server.local_endpoint());
    request(other, http::verb::get, "/plain");
    beast::flat_buffer buffer;
    http::response<http::string_body> plain;
    http::read(other, buffer, plain);
    CHECK(plain.body() == "ok");

    probe.release();
    beast::flat_buffer slow_buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(4 * net::StreamedResponse::kChunkBytes);
    http::read(slow, slow_buffer, parser);
    CHECK(parser.get().body() == running.handler.body);
}
