#include "endpoint_url.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using rekmock::objects::EndpointUrl;
using rekmock::objects::parse_endpoint_url;

TEST_SUITE("endpoint_url") {
    TEST_CASE("scheme, host, port, Host header and path prefix") {
        const EndpointUrl plain = parse_endpoint_url("http://127.0.0.1:5000");
        CHECK_FALSE(plain.tls);
        CHECK(plain.host == "127.0.0.1");
        CHECK(plain.port == "5000");
        CHECK(plain.host_header == "127.0.0.1:5000");
        CHECK(plain.path_prefix.empty());
        CHECK(plain.text == "http://127.0.0.1:5000");

        const EndpointUrl tls = parse_endpoint_url("https://minio.local/s3/");
        CHECK(tls.tls);
        CHECK(tls.host == "minio.local");
        CHECK(tls.port == "443");
        CHECK(tls.host_header == "minio.local");
        CHECK(tls.path_prefix == "/s3");
    }

    TEST_CASE("a default port is left out of the Host header, as clients sign it") {
        CHECK(parse_endpoint_url("http://s3.local:80").host_header == "s3.local");
        CHECK(parse_endpoint_url("https://s3.local:443").host_header == "s3.local");
        CHECK(parse_endpoint_url("https://s3.local:80").host_header == "s3.local:80");
        CHECK(parse_endpoint_url("http://s3.local:0080/").port == "80");
        CHECK(parse_endpoint_url("http://s3.local:/").port == "80");  // RFC 3986: may be empty
    }

    TEST_CASE("an IPv6 address is bracketed in the URL and the Host header only") {
        const EndpointUrl url = parse_endpoint_url("http://[::1]:9000");
        CHECK(url.host == "::1");
        CHECK(url.port == "9000");
        CHECK(url.host_header == "[::1]:9000");
        CHECK(parse_endpoint_url("https://[::1]").host_header == "[::1]");
    }

    TEST_CASE("malformed URLs are refused with the reason") {
        for (const char* url :
             {"", "127.0.0.1:5000", "ftp://host", "http://", "http://:80", "http://host:0",
              "http://host:65536", "http://host:8x", "http://host?x=1", "http://host/#top",
              "http://user:pw@host", "http://[::1", "http://[::1]x", "http://::1:9000"}) {
            INFO(std::string(url));
            CHECK_THROWS_AS(parse_endpoint_url(url), std::invalid_argument);
        }
    }
}
