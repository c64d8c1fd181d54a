// The S3 client's connection handling, which moto cannot show: its server closes every
// connection after one response. A plain HTTP/1.1 server that keeps connections alive, not an S3
// server: only reuse, stale connections and dropped bodies are checked here.

#include "s3_client.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <string>
#include <thread>

#include "loopback_s3_config.hpp"

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using rekmock::objects::S3Client;
using rekmock::objects::S3Config;
using rekmock::objects::S3Request;
using rekmock::testing::loopback_s3_config;

namespace {

// Answers each request with 200 and `body`, `per_connection` requests on a connection, then
// closes it without a word (as a server's idle timeout does). One client connection at a time.
class KeepAliveServer {
  public:
    KeepAliveServer(int per_connection, std::string body)
        : per_connection_(per_connection), body_(std::move(body)) {
        thread_ = std::thread([this] { serve(); });
    }
    KeepAliveServer(const KeepAliveServer&) = delete;
    KeepAliveServer& operator=(const KeepAliveServer&) = delete;
    ~KeepAliveServer() {
        stopping_ = true;
        tcp::socket wake(io_);
        boost::system::error_code ignored;
        wake.connect(acceptor_.local_endpoint(), ignored);
        thread_.join();
    }

    std::string endpoint() const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    }
    int connections() const { return connections_; }
    int requests() const { return requests_; }

  private:
    void serve() {
        for (;;) {
            tcp::socket socket(io_);
            acceptor_.accept(socket);
            if (stopping_) {
                return;
            }
            ++connections_;
            boost::beast::flat_buffer buffer;
            for (int i = 0; i < per_connection_; ++i) {
                boost::system::error_code ec;
                http::request<http::string_body> request;
                http::read(socket, buffer, request, ec);
                if (ec) {
                    break;
                }
                ++requests_;
                http::response<http::string_body> response{http::status::ok, 11};
                response.body() = body_;
                response.keep_alive(true);
                response.prepare_payload();
                http::write(socket, response, ec);
                if (ec) {
                    break;
                }
            }
        }
    }

    asio::io_context io_;
    tcp::acceptor acceptor_{io_, {asio::ip::make_address("127.0.0.1"), 0}};
    int per_connection_;
    std::string body_;
    std::atomic<bool> stopping_ = false;
    std::atomic<int> connections_ = 0;
    std::atomic<int> requests_ = 0;
    std::thread thread_;
};

const S3Request kGet{http::verb::get, "bucket", "key", "", {}, ""};

}  // namespace

TEST_SUITE("s3_client") {
    TEST_CASE("a kept-alive connection serves the next requests") {
        const KeepAliveServer server(100, "ok");
        const S3Client client(loopback_s3_config(server.endpoint()));
        for (int i = 0; i < 5; ++i) {
            auto response = client.send(kGet, "GetObject");
            CHECK(response.status() == 200);
            CHECK(response.read_all(100) == "ok");
        }
        CHECK(server.requests() == 5);
        CHECK(server.connections() == 1);
    }

    TEST_CASE("a connection the server closed while idle is replaced, not an attempt spent") {
        const KeepAliveServer server(1, "ok");
        const S3Client client(loopback_s3_config(server.endpoint()));  // a single attempt
        for (int i = 0; i < 3; ++i) {
            auto response = client.send(kGet, "GetObject");
            CHECK(response.read_all(100) == "ok");
        }
        CHECK(server.requests() == 3);
        CHECK(server.connections() == 3);
    }

    TEST_CASE("a response dropped with much of its body unread closes its connection") {
        const KeepAliveServer server(100, std::string(1 << 20, 'x'));
        const S3Client client(loopback_s3_config(server.endpoint()));
        {
            auto response = client.send(kGet, "GetObject");
            char head[10];
            CHECK(response.read(head, sizeof head) > 0);
        }
        auto next = client.send(kGet, "GetObject");
        CHECK(next.read_all(2 << 20).size() == (1u << 20));
        CHECK(server.connections() == 2);
    }

    TEST_CASE("a server that never answers is Unavailable once each attempt times out") {
        // Listening, never accepting: the kernel completes the connection, nobody reads.
        asio::io_context io;
        const tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
        S3Config config = loopback_s3_config("http://127.0.0.1:" +
                                             std::to_string(silent.local_endpoint().port()));
        config.request_timeout = std::chrono::milliseconds(200);
        config.max_attempts = 2;
        const auto started = std::chrono::steady_clock::now();
        try {
            S3Client(config).send(kGet, "GetObject");
            FAIL("no error");
        } catch (const rekmock::objects::ObjectStoreError& e) {
            CHECK(e.kind() == rekmock::objects::ObjectErrorKind::Unavailable);
            INFO(std::string(e.what()));
            CHECK(std::string(e.what()).find("timeout") != std::string::npos);
        }
        const auto took = std::chrono::steady_clock::now() - started;
        CHECK(took >= std::chrono::milliseconds(400));
        CHECK(took < std::chrono::seconds(3));
    }
}
