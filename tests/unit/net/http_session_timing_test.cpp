// The session's clocks, with limits short enough to watch: idle_timeout governs the wait for a
// keep-alive request's first byte, request_timeout everything from that byte on.

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http_server.hpp"

namespace net = rekmock::net;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

namespace {

struct EchoHandler final : net::RequestHandler {
    net::HandlerResult handle(const net::HttpRequest& request) noexcept override {
        net::HttpResponse response{http::status::ok, request.version()};
        response.keep_alive(request.keep_alive());
        response.body() = "ok";
        response.prepare_payload();
        return {std::move(response), {}, {}};
    }
    net::HttpResponse reject(http::status status, std::string_view, unsigned version,
                             const net::HttpRequest*) noexcept override {
        net::HttpResponse response{status, version};
        response.keep_alive(false);
        response.prepare_payload();
        return response;
    }
};

// A server on a free loopback port, served from its own thread until destroyed.
struct RunningServer {
    explicit RunningServer(const net::ConnectionLimits& limits)
        : server("127.0.0.1", 0, 1, handler, limits), thread([this] { server.run(100ms); }) {}
    ~RunningServer() {
        server.stop();
        thread.join();
    }
    EchoHandler handler;
    net::HttpServer server;
    std::thread thread;
};

constexpr std::string_view kRequest = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}";

// The status of the next response on `socket`, or 0 if the connection ends first.
unsigned read_status(net::tcp::socket& socket, beast::flat_buffer& buffer) {
    http::response<http::string_body> response;
    beast::error_code ec;
    http::read(socket, buffer, response, ec);
    return ec ? 0 : response.result_int();
}

net::ConnectionLimits short_limits() {
    net::ConnectionLimits limits;
    limits.request_timeout = 600ms;
    limits.idle_timeout = 4s;
    return limits;
}

// Connects `socket` and has one request answered on it, so the next is a keep-alive one.
void first_request(RunningServer& running, net::tcp::socket& socket, beast::flat_buffer& buffer) {
    socket.connect(running.server.local_endpoint());
    asio::write(socket, asio::buffer(kRequest));
    REQUIRE(read_status(socket, buffer) == 200);
}

}  // namespace

TEST_CASE("a keep-alive request has request_timeout from its first byte, not idle_timeout") {
    RunningServer running(short_limits());
    asio::io_context ioc;
    net::tcp::socket socket(ioc);
    beast::flat_buffer buffer;
    first_request(running, socket, buffer);

    // The next request starts, then stalls past request_timeout but well within idle_timeout.
    asio::write(socket, asio::buffer(kRequest.substr(0, 5)));
    std::this_thread::sleep_for(1800ms);
    beast::error_code ec;
    asio::write(socket, asio::buffer(kRequest.substr(5)), ec);
    CHECK(read_status(socket, buffer) == 0);
}

TEST_CASE("between keep-alive requests idle_timeout applies, not request_timeout") {
    RunningServer running(short_limits());
    asio::io_context ioc;
    net::tcp::socket socket(ioc);
    beast::flat_buffer buffer;
    first_request(running, socket, buffer);

    std::this_thread::sleep_for(1800ms);
    asio::write(socket, asio::buffer(kRequest));
    CHECK(read_status(socket, buffer) == 200);
}
