// The S3 store against servers that answer what no S3 server should: interim 1xx answers,
// statuses that are not a success, bodies longer or shorter than they declare. Each answer is
// scripted byte for byte (scripted_http_server.hpp); only the client's defences are checked.

#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>

#include "loopback_s3_config.hpp"
#include "object_store.hpp"
#include "s3_client.hpp"
#include "s3_object_store.hpp"
#include "scripted_http_server.hpp"

namespace http = boost::beast::http;
using rekmock::objects::ObjectErrorKind;
using rekmock::objects::ObjectRef;
using rekmock::objects::ObjectStoreError;
using rekmock::objects::S3Client;
using rekmock::objects::S3Config;
using rekmock::objects::S3ObjectStore;
using rekmock::objects::S3Request;
using rekmock::testing::http_answer;
using rekmock::testing::loopback_s3_config;
using rekmock::testing::ScriptedAnswer;
using rekmock::testing::ScriptedHttpServer;
using rekmock::testing::ScriptedRequest;

namespace {

const S3Request kGet{http::verb::get, "bucket", "key", "", {}, ""};

// The kind of ObjectStoreError `action` throws, with its message in the test's output.
template <typename Action>
ObjectErrorKind store_error(Action action) {
    try {
        action();
    } catch (const ObjectStoreError& e) {
        INFO(std::string(e.what()));
        return e.kind();
    }
    FAIL("no ObjectStoreError");
    return ObjectErrorKind::InvalidRequest;
}

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

TEST_SUITE("s3_hostile_server") {
    TEST_CASE("interim 1xx answers are skipped: each request reads its own final answer") {
        std::atomic<int> answered = 0;
        const ScriptedHttpServer server([&](const ScriptedRequest&) {
            const std::string body = "answer " + std::to_string(++answered);
            return ScriptedAnswer{std::string(kContinue) +
                                  "HTTP/1.1 102 Processing\r\n\r\n"
                                  "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n" +
                                  http_answer(200, body)};
        });
        const S3Client client(loopback_s3_config(server.endpoint()));
        for (int i = 1; i <= 3; ++i) {
            auto response = client.send(kGet, "GetObject");
            CHECK(response.status() == 200);
            CHECK_FALSE(response.error().has_value());
            CHECK(response.read_all(100) == "answer " + std::to_string(i));
        }
        CHECK(server.connections() == 1);
    }

    TEST_CASE("101 Switching Protocols is no answer to an S3 request: it fails, never succeeds") {
        const ScriptedHttpServer server([](const ScriptedRequest&) {
            return ScriptedAnswer{
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                "Upgrade\r\n\r\n" +
                http_answer(200, "x")};
        });
        const S3Client client(loopback_s3_config(server.endpoint()));
        CHECK(store_error([&] { client.send(kGet, "GetObject"); }) == ObjectErrorKind::Unavailable);
    }

    TEST_CASE("a server answering only interim answers fails the request") {
        const ScriptedHttpServer server([](const ScriptedRequest&) {
            std::string bytes;
            for (int i = 0; i <= 16; ++i) {
                bytes += kContinue;
            }
            return ScriptedAnswer{bytes + http_answer(200, "late")};
        });
        const S3Client client(loopback_s3_config(server.endpoint()));
        CHECK(store_error([&] { client.send(kGet, "GetObject"); }) == ObjectErrorKind::Unavailable);
    }

    TEST_CASE("a 3xx final answer is an error, never a success") {
        const ScriptedHttpServer server([](const ScriptedRequest&) {
            return ScriptedAnswer{http_answer(301, "<Error><Code>PermanentRedirect</Code></Error>",
                                              "Location: http://elsewhere/\r\n")};
        });
        S3ObjectStore store(loopback_s3_config(server.endpoint()));
        CHECK(store_error([&] {
                  store.open(ObjectRef{"bucket", "key", std::nullopt}, {});
              }) == ObjectErrorKind::InvalidRequest);
    }

    TEST_CASE("a PutObject answered 100 Continue then 500 is not written") {
        const ScriptedHttpServer server([](const ScriptedRequest&) {
            return ScriptedAnswer{std::string(kContinue) +
                                  http_answer(500, "<Error><Code>InternalError</Code></Error>")};
        });
        S3ObjectStore store(loopback_s3_config(server.endpoint()));
        auto writer = store.create("bucket", "key", {});
        writer->write("results");
        CHECK(store_error([&] { writer->commit(); }) == ObjectErrorKind::Unavailable);
    }

    TEST_CASE("bytes past a body's Content-Length are never read as the next request's answer") {
        const ScriptedHttpServer server([](const ScriptedRequest& request) {
            // The first connection's answer carries a second one no request asked for.
            return ScriptedAnswer{request.connection == 1
                                      ? http_answer(200, "ok") + http_answer(200, "smuggled")
                                      : http_answer(200, "fresh")};
        });
        const S3Client client(loopback_s3_config(server.endpoint()));
        CHECK(client.send(kGet, "GetObject").read_all(100) == "ok");
        CHECK(client.send(kGet, "GetObject").read_all(100) == "fresh");
        CHECK(server.connections() == 2);
    }

    TEST_CASE("a body shorter than its Content-Length is a broken download") {
        const ScriptedHttpServer server([](const ScriptedRequest&) {
            return ScriptedAnswer{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", {}, true};
        });
        S3ObjectStore store(loopback_s3_config(server.endpoint()));
        auto reader = store.open(ObjectRef{"bucket", "key", std::nullopt}, {});
        CHECK(reader->size() == 10);
        CHECK(store_error([&] { reader->read_all(); }) == ObjectErrorKind::Unavailable);
    }

    TEST_CASE("a body ending before the size its answer declares is broken, never a short object") {
        // Content-Length 3 frames the message; Content-Range says the object is 1000 bytes.
        const ScriptedHttpServer server([](const ScriptedRequest&) {
            return ScriptedAnswer{http_answer(206, "abc", "Content-Range: bytes 0-2/1000\r\n")};
        });
        S3ObjectStore store(loopback_s3_config(server.endpoint()));
        for (const std::optional<std::uint64_t> prefix :
             {std::optional<std::uint64_t>(), std::optional<std::uint64_t>(10)}) {
            auto reader = store.open(ObjectRef{"bucket", "key", std::nullopt}, prefix);
            CHECK(reader->size() == 1000);
            CHECK(store_error([&] { reader->read_all(); }) == ObjectErrorKind::Unavailable);
        }
    }

    TEST_CASE("a key's dot segments go out escaped, never as a step up the path") {
        const ScriptedHttpServer server(
            [](const ScriptedRequest&) { return ScriptedAnswer{http_answer(200, "x")}; });
        S3ObjectStore store(loopback_s3_config(server.endpoint()));
        for (const std::string key : {"../b/k", "a/./b", "a/.."}) {
            store.open(ObjectRef{"bucket", key, std::nullopt}, {})->read_all();
        }
        const auto requests = server.requests();
        REQUIRE(requests.size() == 3);
        CHECK(requests[0].target == "/bucket/%2E%2E/b/k");
        CHECK(requests[1].target == "/bucket/a/%2E/b");
        CHECK(requests[2].target == "/bucket/a/%2E%2E");
    }

    TEST_CASE("a bucket no S3 bucket can be named is refused before anything is sent") {
        const ScriptedHttpServer server(
            [](const ScriptedRequest&) { return ScriptedAnswer{http_answer(200, "x")}; });
        S3ObjectStore store(loopback_s3_config(server.endpoint()));
        // s3://../b/k names bucket "..": sent, a normalising server would read bucket b.
        for (const std::string bucket : {"..", ".", "", "a/b"}) {
            INFO(bucket);
            CHECK(store_error([&] {
                      store.open(ObjectRef{bucket, "b/k", std::nullopt}, {});
                  }) == ObjectErrorKind::InvalidRequest);
            CHECK(store_error([&] { store.create(bucket, "b/k", {})->commit(); }) ==
                  ObjectErrorKind::InvalidRequest);
        }
        CHECK(server.requests().empty());
    }

    TEST_CASE("a server that never answers fails the request at its deadline, retries included") {
        // Listening, never accepting: the kernel completes the connection, nobody reads.
        boost::asio::io_context io;
        const boost::asio::ip::tcp::acceptor silent(
            io, {boost::asio::ip::make_address("127.0.0.1"), 0});
        S3Config config = loopback_s3_config("http://127.0.0.1:" +
                                             std::to_string(silent.local_endpoint().port()));
        config.request_timeout = std::chrono::seconds(10);  // each attempt alone: 10 s
        config.max_attempts = 3;
        config.deadline = std::chrono::milliseconds(500);
        const auto started = std::chrono::steady_clock::now();
        try {
            S3Client(config).send(kGet, "GetObject");
            FAIL("no error");
        } catch (const ObjectStoreError& e) {
            INFO(std::string(e.what()));
            CHECK(e.kind() == ObjectErrorKind::Unavailable);
            CHECK(std::string(e.what()).find("deadline of 500 ms") != std::string::npos);
        }
        CHECK(std::chrono::steady_clock::now() - started <
              config.deadline + std::chrono::seconds(2));
    }

    TEST_CASE("a body trickled within each read's timeout still ends at the request's deadline") {
        const ScriptedHttpServer server([](const ScriptedRequest&) {
            // 200 bytes, one each 20 ms: 4 s in all, each read answered at once.
            return ScriptedAnswer{http_answer(200, std::string(200, 'x')),
                                  std::chrono::milliseconds(20)};
        });
        S3Config config = loopback_s3_config(server.endpoint());
        config.request_timeout = std::chrono::seconds(10);
        config.deadline = std::chrono::milliseconds(500);
        S3ObjectStore store(config);
        const auto started = std::chrono::steady_clock::now();
        try {
            store.open(ObjectRef{"bucket", "key", std::nullopt}, {})->read_all();
            FAIL("no error");
        } catch (const ObjectStoreError& e) {
            INFO(std::string(e.what()));
            CHECK(e.kind() == ObjectErrorKind::Unavailable);
            CHECK(std::string(e.what()).find("deadline") != std::string::npos);
        }
        CHECK(std::chrono::steady_clock::now() - started <
              config.deadline + std::chrono::seconds(2));
    }

    TEST_CASE("the caller's time between reads of a body is not the server's: it does not count") {
        const ScriptedHttpServer server(
            [](const ScriptedRequest&) { return ScriptedAnswer{http_answer(200, "0123456789")}; });
        S3Config config = loopback_s3_config(server.endpoint());
        config.deadline = std::chrono::milliseconds(300);
        S3ObjectStore store(config);
        auto reader = store.open(ObjectRef{"bucket", "key", std::nullopt}, {});
        char first = 0;
        CHECK(reader->read(&first, 1) == 1);
        // The caller's own work, as a job checking a manifest line's image between two reads.
        std::this_thread::sleep_for(config.deadline * 2);
        CHECK(first + reader->read_all() == std::string("0123456789"));
    }
}
