#include "origin_guard.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>

#include "control_request.hpp"

namespace http = boost::beast::http;
using rekmock::control::check_browser_request;
using rekmock::control::ControlError;
using rekmock::net::HttpRequest;

namespace {

HttpRequest request(http::verb method, std::optional<std::string_view> origin,
                    std::optional<std::string_view> content_type,
                    std::string_view host = "localhost:9595") {
    HttpRequest r{method, "/_mock/reset", 11};
    r.set(http::field::host, host);
    if (origin) {
        r.set(http::field::origin, *origin);
    }
    if (content_type) {
        r.set(http::field::content_type, *content_type);
    }
    return r;
}

// The error a request is refused with; std::nullopt when it passes.
std::optional<ControlError> refusal(const HttpRequest& r) {
    try {
        check_browser_request(r);
        return std::nullopt;
    } catch (const ControlError& e) {
        return e;
    }
}

}  // namespace

TEST_SUITE("origin_guard") {
    TEST_CASE("requests without Origin pass, whatever their method and type") {
        for (const auto method : {http::verb::post, http::verb::delete_, http::verb::put}) {
            CHECK_FALSE(refusal(request(method, std::nullopt, std::nullopt)));
            CHECK_FALSE(refusal(request(method, std::nullopt, "text/plain")));
            CHECK_FALSE(
                refusal(request(method, std::nullopt, "application/x-www-form-urlencoded")));
        }
    }

    TEST_CASE("reads pass from any origin: a browser cannot read the answer cross-site") {
        for (const auto method : {http::verb::get, http::verb::head, http::verb::options}) {
            CHECK_FALSE(refusal(request(method, "https://evil.example", std::nullopt)));
        }
    }

    TEST_CASE("a state change from another origin is refused with 403 CrossOriginRequest") {
        for (const std::string_view origin :
             {"https://evil.example", "http://evil.example", "null", "http://localhost:9596",
              "http://localhost", "http://127.0.0.1:9595", "file://", "localhost:9595",
              "http://localhost:9595.evil.example", ""}) {
            CAPTURE(origin);
            for (const auto method : {http::verb::post, http::verb::delete_}) {
                const auto error = refusal(request(method, origin, "application/json"));
                REQUIRE(error);
                CHECK(error->status() == http::status::forbidden);
                CHECK(error->code() == "CrossOriginRequest");
                CHECK(std::string(error->what()).find("/_mock/ui") != std::string::npos);
            }
        }
        // A form post from another site: refused for its origin before its type is looked at.
        const auto form = refusal(
            request(http::verb::post, "https://evil.example", "application/x-www-form-urlencoded"));
        REQUIRE(form);
        CHECK(form->code() == "CrossOriginRequest");
    }

    TEST_CASE("the mock's own origin passes with JSON") {
        CHECK_FALSE(
            refusal(request(http::verb::post, "http://localhost:9595", "application/json")));
        CHECK_FALSE(refusal(
            request(http::verb::post, "http://localhost:9595", "application/json; charset=utf-8")));
        CHECK_FALSE(
            refusal(request(http::verb::delete_, "http://LOCALHOST:9595", "Application/JSON")));
        SUBCASE("default ports name the same origin") {
            CHECK_FALSE(refusal(
                request(http::verb::post, "http://mock.test", "application/json", "mock.test:80")));
            CHECK_FALSE(refusal(
                request(http::verb::post, "http://mock.test:80", "application/json", "mock.test")));
        }
        SUBCASE("behind a TLS proxy that keeps Host") {
            CHECK_FALSE(refusal(
                request(http::verb::post, "https://mock.test", "application/json", "mock.test")));
        }
    }

    TEST_CASE("the mock's own origin without JSON is refused with 415 UnsupportedMediaType") {
        for (const std::optional<std::string_view> type :
             {std::optional<std::string_view>{}, std::optional<std::string_view>{"text/plain"},
              std::optional<std::string_view>{"application/x-www-form-urlencoded"},
              std::optional<std::string_view>{"multipart/form-data; boundary=x"},
              std::optional<std::string_view>{"application/jsonx"}}) {
            CAPTURE(type.value_or("(none)"));
            const auto error = refusal(request(http::verb::post, "http://localhost:9595", type));
            REQUIRE(error);
            CHECK(error->status() == http::status::unsupported_media_type);
            CHECK(error->code() == "UnsupportedMediaType");
        }
    }

    TEST_CASE("a request without Host has no own origin to match") {
        HttpRequest r{http::verb::post, "/_mock/reset", 10};
        r.set(http::field::origin, "http://localhost:9595");
        r.set(http::field::content_type, "application/json");
        const auto error = refusal(r);
        REQUIRE(error);
        CHECK(error->code() == "CrossOriginRequest");
    }
}
