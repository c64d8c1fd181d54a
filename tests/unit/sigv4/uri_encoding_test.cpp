#include "uri_encoding.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using rekmock::sigv4::percent_decode;
using rekmock::sigv4::uri_encode;

TEST_SUITE("uri_encoding") {
    TEST_CASE("unreserved bytes pass, every other byte is %XY in upper-case hex") {
        CHECK(uri_encode("AZaz09-._~", false) == "AZaz09-._~");
        CHECK(uri_encode("a b+c=d&e", false) == "a%20b%2Bc%3Dd%26e");
        CHECK(uri_encode("caf\xc3\xa9", false) == "caf%C3%A9");
        CHECK(uri_encode("test$file.text", false) == "test%24file.text");
        CHECK(uri_encode(std::string("\0\x7f", 2), false) == "%00%7F");
        CHECK(uri_encode("", false).empty());
    }

    TEST_CASE("'/' is kept only when asked") {
        CHECK(uri_encode("/a/b c", true) == "/a/b%20c");
        CHECK(uri_encode("/a/b c", false) == "%2Fa%2Fb%20c");
    }

    TEST_CASE("decoding reverses encoding, in either case of hex digit") {
        const std::string bytes = "/a b+c%\xff\x01~";
        CHECK(percent_decode(uri_encode(bytes, false)) == bytes);
        CHECK(percent_decode("%e1%88%B4") == std::string("\xe1\x88\xb4"));
        CHECK(percent_decode("a+b") == std::string("a+b"));
        CHECK(percent_decode("") == std::string());
    }

    TEST_CASE("a malformed escape is refused, not passed through") {
        for (const char* text : {"%", "%4", "a%4", "%zz", "%4g", "%+1", "% 1", "%-1", "ok%2"}) {
            INFO(text);
            CHECK(percent_decode(text) == std::nullopt);
        }
    }
}
