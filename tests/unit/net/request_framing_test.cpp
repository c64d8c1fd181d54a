#include "request_framing.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace http = boost::beast::http;
using rekmock::net::check_framing;

namespace {

using Fields = std::initializer_list<std::pair<std::string, std::string>>;

http::request_header<> header(unsigned version, Fields fields) {
    http::request_header<> result;
    result.method(http::verb::post);
    result.target("/");
    result.version(version);
    for (const auto& [name, value] : fields) {
        result.insert(name, value);
    }
    return result;
}

std::optional<unsigned> refusal(unsigned version, Fields fields) {
    const auto error = check_framing(header(version, fields));
    if (!error) {
        return std::nullopt;
    }
    CHECK_FALSE(error->reason.empty());
    return static_cast<unsigned>(error->status);
}

}  // namespace

TEST_CASE("sound framing passes") {
    CHECK_FALSE(refusal(11, {{"Host", "h"}}));
    CHECK_FALSE(refusal(11, {{"Host", "h"}, {"Content-Length", "2"}}));
    CHECK_FALSE(refusal(11, {{"Host", "h"}, {"Transfer-Encoding", "chunked"}}));
    CHECK_FALSE(refusal(11, {{"Host", "h"}, {"Transfer-Encoding", "Chunked"}}));
    CHECK_FALSE(refusal(10, {}));  // HTTP/1.0 needs no Host
}

TEST_CASE("a final coding other than chunked is 400: the body length is unknown") {
    for (const char* codings : {"gzip", "chunked, gzip", "xchunked", "chunkedx", "", " , ",
                                "chunked, chunked", "identity"}) {
        CAPTURE(codings);
        CHECK(refusal(11, {{"Host", "h"}, {"Transfer-Encoding", codings}}) == 400u);
    }
    // Two field lines are one list: "chunked" then "gzip".
    CHECK(refusal(11, {{"Host", "h"},
                       {"Transfer-Encoding", "chunked"},
                       {"Transfer-Encoding", "gzip"}}) == 400u);
}

TEST_CASE("chunked after a coding this server does not implement is 501") {
    CHECK(refusal(11, {{"Host", "h"}, {"Transfer-Encoding", "gzip, chunked"}}) == 501u);
    CHECK(refusal(11, {{"Host", "h"},
                       {"Transfer-Encoding", "gzip"},
                       {"Transfer-Encoding", "chunked"}}) == 501u);
}

TEST_CASE("Transfer-Encoding in HTTP/1.0 is 400") {
    CHECK(refusal(10, {{"Transfer-Encoding", "chunked"}}) == 400u);
}

TEST_CASE("Host: missing in HTTP/1.1 or given twice is 400") {
    CHECK(refusal(11, {}) == 400u);
    CHECK(refusal(11, {{"Host", "a"}, {"Host", "b"}}) == 400u);
    CHECK(refusal(11, {{"Host", "a"}, {"Host", "a"}}) == 400u);
    CHECK(refusal(10, {{"Host", "a"}, {"Host", "b"}}) == 400u);
}
