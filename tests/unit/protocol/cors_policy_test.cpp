#include "cors_policy.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace http = boost::beast::http;
using rekmock::net::HandlerResult;
using rekmock::net::HttpRequest;
using rekmock::protocol::CorsPolicy;

namespace {

HttpRequest request(http::verb method, const std::optional<std::string>& origin,
                    bool asks_method = false) {
    HttpRequest request{method, "/", 11};
    if (origin) {
        request.set(http::field::origin, *origin);
    }
    if (asks_method) {
        request.set(http::field::access_control_request_method, "POST");
        request.set(http::field::access_control_request_headers, "content-type,x-amz-target");
    }
    return request;
}

HandlerResult answered() {
    HandlerResult result;
    result.response.result(http::status::ok);
    result.response.body() = "{}";
    return result;
}

std::string header(const rekmock::net::HttpResponse& response, http::field field) {
    return std::string(response[field]);
}

}  // namespace

TEST_SUITE("cors_policy") {
    TEST_CASE("an origin is a scheme, :// and a host with an optional port, or *") {
        for (const char* good : {"*", "http://localhost:5173", "https://app.example.com",
                                 "http://127.0.0.1:8000", "http://[::1]:3000", "app+x://h"}) {
            CHECK_MESSAGE(CorsPolicy::valid_origin(good), good);
        }
        for (const char* bad :
             {"", "localhost:5173", "http://", "://host", "http://h/", "http://h/path",
              "http://u@h", "1http://h", "http://h?q", "http://h h", "**"}) {
            CHECK_MESSAGE(!CorsPolicy::valid_origin(bad), bad);
        }
    }

    TEST_CASE("a preflight from a listed origin is answered with what the SDK needs") {
        const CorsPolicy cors({"http://localhost:5173"});
        const auto answer =
            cors.preflight(request(http::verb::options, "http://localhost:5173", true));
        REQUIRE(answer);
        CHECK(answer->result() == http::status::ok);
        CHECK(header(*answer, http::field::access_control_allow_origin) == "http://localhost:5173");
        CHECK(header(*answer, http::field::access_control_allow_methods) == "POST, OPTIONS");
        const std::string allowed = header(*answer, http::field::access_control_allow_headers);
        for (const char* name :
             {"x-amz-target", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request",
              "authorization", "x-amz-date", "x-amz-security-token", "content-type"}) {
            CHECK_MESSAGE(allowed.find(name) != std::string::npos, name);
        }
        CHECK(header(*answer, http::field::vary) == "Origin");
        CHECK(answer->body().empty());
    }

    TEST_CASE("no preflight answer for another origin, no origin, or a plain OPTIONS") {
        const CorsPolicy cors({"http://localhost:5173"});
        CHECK(!cors.preflight(request(http::verb::options, "http://localhost:5174", true)));
        CHECK(!cors.preflight(request(http::verb::options, std::nullopt, true)));
        CHECK(!cors.preflight(request(http::verb::options, "http://localhost:5173", false)));
        CHECK(!cors.preflight(request(http::verb::post, "http://localhost:5173", true)));
        CHECK(!CorsPolicy({}).preflight(request(http::verb::options, "http://a", true)));
    }

    TEST_CASE("* lets any origin in, and the answer names that origin") {
        const CorsPolicy cors({"*"});
        const auto answer = cors.preflight(request(http::verb::options, "http://any:1", true));
        REQUIRE(answer);
        CHECK(header(*answer, http::field::access_control_allow_origin) == "http://any:1");
        const auto shared = cors.share(request(http::verb::post, "http://other"), answered());
        CHECK(header(shared.response, http::field::access_control_allow_origin) == "http://other");
    }

    TEST_CASE("a listed origin's answer exposes the request id, others are left as they were") {
        const CorsPolicy cors({"http://a.test", "http://b.test:8080"});
        const auto shared = cors.share(request(http::verb::post, "http://b.test:8080"), answered());
        CHECK(header(shared.response, http::field::access_control_allow_origin) ==
              "http://b.test:8080");
        CHECK(header(shared.response, http::field::access_control_expose_headers)
                  .find("x-amzn-requestid") != std::string::npos);
        CHECK(shared.response.body() == "{}");
        const auto other = cors.share(request(http::verb::post, "http://c.test"), answered());
        CHECK(other.response.find(http::field::access_control_allow_origin) ==
              other.response.end());
        const auto none = cors.share(request(http::verb::post, std::nullopt), answered());
        CHECK(none.response.find(http::field::vary) == none.response.end());
    }

    TEST_CASE("an answer computed later gets the headers when it is delivered") {
        const CorsPolicy cors({"http://a.test"});
        HandlerResult pending;
        pending.later = [](rekmock::net::Deliver deliver) { deliver(answered()); };
        const auto shared =
            cors.share(request(http::verb::post, "http://a.test"), std::move(pending));
        REQUIRE(shared.later);
        std::optional<HandlerResult> delivered;
        shared.later([&](HandlerResult&& done) { delivered = std::move(done); });
        REQUIRE(delivered);
        CHECK(header(delivered->response, http::field::access_control_allow_origin) ==
              "http://a.test");
    }
}
