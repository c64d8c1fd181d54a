#include "pagination_token.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "base64url.hpp"
#include "test_jobs.hpp"

using rekmock::JobCursor;
using rekmock::service::base64url_decode;
using rekmock::service::base64url_encode;
using rekmock::service::kMaxPaginationTokenLength;
using rekmock::service::PaginationTokenCodec;
using rekmock::testing::at_millis;

namespace {

constexpr std::string_view kContext = "ListMediaAnalysisJobs";
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::vector<unsigned char> secret(unsigned char fill, std::size_t size = 32) {
    std::vector<unsigned char> out(size);
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<unsigned char>(fill + i);
    }
    return out;
}

const std::string kJobId = "4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b";
const std::int64_t kMillis = 1727784000250;

JobCursor sample_cursor() {
    return JobCursor{at_millis(kMillis), kJobId};
}

bool contains(const std::vector<unsigned char>& haystack, std::string_view needle) {
    return std::string(haystack.begin(), haystack.end()).find(needle) != std::string::npos;
}

}  // namespace

TEST_SUITE("pagination_token") {
    TEST_CASE("a token round-trips to its cursor") {
        const PaginationTokenCodec codec(secret(1));
        for (const JobCursor& cursor :
             {sample_cursor(), JobCursor{at_millis(0), "a"}, JobCursor{at_millis(-1), "Z-_9"},
              JobCursor{at_millis(253402300799999), std::string(64, 'x')},
              JobCursor{at_millis(-62135596800000), "old"}}) {
            CAPTURE(cursor.job_id);
            const std::string token = codec.encode(cursor, kContext);
            CHECK(token.size() <= kMaxPaginationTokenLength);
            CHECK(token.find_first_not_of(kAlphabet) == std::string::npos);
            CHECK(codec.decode(token, kContext) == cursor);
        }
    }

    TEST_CASE("the same cursor always yields the same token") {
        const PaginationTokenCodec codec(secret(1));
        const PaginationTokenCodec same_key(secret(1));
        const std::string token = codec.encode(sample_cursor(), kContext);
        CHECK(codec.encode(sample_cursor(), kContext) == token);
        CHECK(same_key.encode(sample_cursor(), kContext) == token);
        CHECK(same_key.decode(token, kContext) == sample_cursor());
        // ...and different cursors yield different tokens.
        CHECK(codec.encode(JobCursor{at_millis(kMillis + 1), kJobId}, kContext) != token);
        CHECK(codec.encode(JobCursor{at_millis(kMillis), kJobId + "0"}, kContext) != token);
    }

    TEST_CASE("a token reveals neither the job id nor the timestamp") {
        const PaginationTokenCodec codec(secret(1));
        for (const JobCursor& cursor :
             {sample_cursor(), JobCursor{at_millis(1735689600000), "readable-job-id"}}) {
            const std::string token = codec.encode(cursor, kContext);
            const auto raw = base64url_decode(token);
            REQUIRE(raw.has_value());
            const std::string millis =
                std::to_string(cursor.creation_timestamp.time_since_epoch().count());
            const std::string seconds = millis.substr(0, millis.size() - 3);
            for (const std::string& secret_text :
                 {cursor.job_id, millis, seconds, cursor.job_id.substr(0, 8)}) {
                INFO(std::string(secret_text));
                CHECK(token.find(secret_text) == std::string::npos);
                CHECK_FALSE(contains(*raw, secret_text));
                // Nor is it merely base64url-encoded inside the token.
                const std::string encoded = base64url_encode(
                    std::vector<unsigned char>(secret_text.begin(), secret_text.end()));
                CHECK(token.find(encoded.substr(0, encoded.size() - 2)) == std::string::npos);
            }
        }
    }

    TEST_CASE("changing any single character of a token is rejected") {
        const PaginationTokenCodec codec(secret(1));
        const std::string token = codec.encode(sample_cursor(), kContext);
        for (std::size_t i = 0; i < token.size(); ++i) {
            CAPTURE(i);
            for (const char replacement : {'A', 'q', '_', '0'}) {
                if (token[i] == replacement) {
                    continue;
                }
                std::string tampered = token;
                tampered[i] = replacement;
                CHECK_FALSE(codec.decode(tampered, kContext).has_value());
            }
        }
    }

    TEST_CASE("changing any single bit of the decoded bytes is rejected") {
        const PaginationTokenCodec codec(secret(1));
        const auto raw = base64url_decode(codec.encode(sample_cursor(), kContext));
        REQUIRE(raw.has_value());
        for (std::size_t i = 0; i < raw->size(); ++i) {
            for (int bit = 0; bit < 8; ++bit) {
                CAPTURE(i);
                CAPTURE(bit);
                auto tampered = *raw;
                tampered[i] = static_cast<unsigned char>(tampered[i] ^ (1u << bit));
                CHECK_FALSE(codec.decode(base64url_encode(tampered), kContext).has_value());
            }
        }
    }

    TEST_CASE("truncated or extended tokens are rejected") {
        const PaginationTokenCodec codec(secret(1));
        const std::string token = codec.encode(sample_cursor(), kContext);
        for (std::size_t length = 0; length < token.size(); ++length) {
            CAPTURE(length);
            CHECK_FALSE(codec.decode(token.substr(0, length), kContext).has_value());
            CHECK_FALSE(codec.decode(token.substr(token.size() - length), kContext).has_value());
        }
        CHECK_FALSE(codec.decode(token + "A", kContext).has_value());
        CHECK_FALSE(codec.decode(token + "AA", kContext).has_value());
        CHECK_FALSE(codec.decode(token + "AAAA", kContext).has_value());
        CHECK_FALSE(codec.decode(token + token, kContext).has_value());
    }

    TEST_CASE("a token from another secret is rejected") {
        const PaginationTokenCodec codec(secret(1));
        const PaginationTokenCodec other(secret(2));
        const std::string token = codec.encode(sample_cursor(), kContext);
        CHECK_FALSE(other.decode(token, kContext).has_value());
        CHECK(other.encode(sample_cursor(), kContext) != token);
    }

    TEST_CASE("a token from another context is rejected") {
        const PaginationTokenCodec codec(secret(1));
        const std::string token = codec.encode(sample_cursor(), kContext);
        CHECK_FALSE(codec.decode(token, "ListMediaAnalysisJobs2").has_value());
        CHECK_FALSE(codec.decode(token, "").has_value());
        CHECK_FALSE(codec.decode(token, "listmediaanalysisjobs").has_value());
        CHECK(codec.encode(sample_cursor(), "Other") != token);
        CHECK(codec.decode(codec.encode(sample_cursor(), "Other"), "Other") == sample_cursor());
    }

    TEST_CASE("over-long, garbage and empty tokens are rejected") {
        const PaginationTokenCodec codec(secret(1));
        CHECK_FALSE(
            codec.decode(std::string(kMaxPaginationTokenLength + 1, 'A'), kContext).has_value());
        CHECK_FALSE(
            codec.decode(std::string(kMaxPaginationTokenLength, 'A'), kContext).has_value());
        CHECK_FALSE(codec.decode(std::string(100000, 'A'), kContext).has_value());
        for (const char* garbage : {"", "x", "garbage", "not a token", "eyJqb2JJZCI6ImEifQ==",
                                    "AAAAAAAAAAAAAAAA", "null", "\xff\xfe", "%41%41%41%41"}) {
            INFO(std::string(garbage));
            CHECK_FALSE(codec.decode(garbage, kContext).has_value());
        }
        // A well-formed token whose version byte is not 1.
        auto raw = base64url_decode(codec.encode(sample_cursor(), kContext));
        REQUIRE(raw.has_value());
        (*raw)[0] = 2;
        CHECK_FALSE(codec.decode(base64url_encode(*raw), kContext).has_value());
    }

    TEST_CASE("a secret shorter than 16 bytes is refused") {
        CHECK_THROWS_AS(PaginationTokenCodec(secret(1, 15)), std::invalid_argument);
        CHECK_NOTHROW(PaginationTokenCodec(secret(1, 16)));
        CHECK_NOTHROW(PaginationTokenCodec(secret(1, 100)));
    }
}
