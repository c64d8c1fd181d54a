#include "base64url.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using rekmock::service::base64url_decode;
using rekmock::service::base64url_encode;

namespace {

std::vector<unsigned char> bytes(std::string_view text) {
    return std::vector<unsigned char>(text.begin(), text.end());
}

// Deterministic bytes covering the whole 0..255 range.
std::vector<unsigned char> pattern(std::size_t length, unsigned seed) {
    std::vector<unsigned char> out(length);
    unsigned state = seed;
    for (auto& b : out) {
        state = state * 1103515245u + 12345u;
        b = static_cast<unsigned char>(state >> 16);
    }
    return out;
}

}  // namespace

TEST_SUITE("base64url") {
    TEST_CASE("RFC 4648 test vectors without padding") {
        CHECK(base64url_encode(bytes("")) == "");
        CHECK(base64url_encode(bytes("f")) == "Zg");
        CHECK(base64url_encode(bytes("fo")) == "Zm8");
        CHECK(base64url_encode(bytes("foo")) == "Zm9v");
        CHECK(base64url_encode(bytes("foob")) == "Zm9vYg");
        CHECK(base64url_encode(bytes("fooba")) == "Zm9vYmE");
        CHECK(base64url_encode(bytes("foobar")) == "Zm9vYmFy");
        CHECK(base64url_decode("Zm9vYmFy") == bytes("foobar"));
        CHECK(base64url_decode("Zm9vYg") == bytes("foob"));
    }

    TEST_CASE("the URL-safe alphabet replaces + and /") {
        const std::vector<unsigned char> high{0xfb, 0xff, 0xbf};
        CHECK(base64url_encode(high) == "-_-_");
        CHECK(base64url_decode("-_-_") == high);
        CHECK(base64url_encode({0xff}) == "_w");
        CHECK(base64url_encode({0xf8}) == "-A");
    }

    TEST_CASE("every length from 0 to 70 round-trips") {
        for (std::size_t length = 0; length <= 70; ++length) {
            CAPTURE(length);
            for (const unsigned seed : {1u, 7u, 255u}) {
                const auto input = pattern(length, seed);
                const std::string text = base64url_encode(input);
                CHECK(text.size() == (length * 4 + 2) / 3);
                CHECK(text.find('=') == std::string::npos);
                const auto decoded = base64url_decode(text);
                REQUIRE(decoded.has_value());
                CHECK(*decoded == input);
            }
        }
        const std::vector<unsigned char> zeros(33, 0x00);
        CHECK(base64url_decode(base64url_encode(zeros)) == zeros);
        const std::vector<unsigned char> ones(34, 0xff);
        CHECK(base64url_decode(base64url_encode(ones)) == ones);
    }

    TEST_CASE("padding is rejected") {
        CHECK_FALSE(base64url_decode("Zg==").has_value());
        CHECK_FALSE(base64url_decode("Zm8=").has_value());
        CHECK_FALSE(base64url_decode("Zg=").has_value());
        CHECK_FALSE(base64url_decode("=").has_value());
    }

    TEST_CASE("characters outside the alphabet are rejected") {
        for (const char* text :
             {"Zm9v+A", "Zm9v/A", "Zm9 v", "Zm9v\n", "Zm9.", "Zm9v*A", "Zm\x80v"}) {
            INFO(std::string(text));
            CHECK_FALSE(base64url_decode(text).has_value());
        }
        CHECK_FALSE(base64url_decode(std::string_view("Zm\0v", 4)).has_value());
    }

    TEST_CASE("non-canonical trailing bits are rejected") {
        // "Zg" is the only spelling of 'f'; "Zh".."Zv" carry non-zero bits past the byte.
        CHECK(base64url_decode("Zg") == bytes("f"));
        for (const char* text : {"Zh", "Zi", "Zv", "Z_"}) {
            INFO(std::string(text));
            CHECK_FALSE(base64url_decode(text).has_value());
        }
        CHECK(base64url_decode("Zm8") == bytes("fo"));
        for (const char* text : {"Zm9", "Zm-", "Zm_"}) {
            INFO(std::string(text));
            CHECK_FALSE(base64url_decode(text).has_value());
        }
    }

    TEST_CASE("a length of 1 modulo 4 is rejected") {
        for (const char* text : {"A", "Z", "Zm9vY", "Zm9vYmFyZ"}) {
            INFO(std::string(text));
            CHECK_FALSE(base64url_decode(text).has_value());
        }
    }

    TEST_CASE("the empty string decodes to no bytes") {
        const auto decoded = base64url_decode("");
        REQUIRE(decoded.has_value());
        CHECK(decoded->empty());
    }
}
