#include "sigv4_authorization.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using rekmock::protocol::parse_sigv4_authorization;

namespace {

const std::string kCredential = "Credential=AKID/20240101/eu-west-1/rekognition/aws4_request";
const std::string kSigned = "SignedHeaders=host;x-amz-date";
const std::string kSignature = "Signature=0123abcd";

}  // namespace

TEST_SUITE("sigv4_authorization") {
    TEST_CASE("the three parameters in any order, with or without spaces after the commas") {
        for (const std::string& header : std::vector<std::string>{
                 "AWS4-HMAC-SHA256 " + kCredential + ", " + kSigned + ", " + kSignature,
                 "AWS4-HMAC-SHA256 " + kCredential + "," + kSigned + "," + kSignature,
                 "AWS4-HMAC-SHA256 " + kSignature + ", " + kCredential + ",  " + kSigned + " ",
             }) {
            CAPTURE(header);
            const auto parsed = parse_sigv4_authorization(header);
            REQUIRE(parsed.has_value());
            CHECK(parsed->access_key_id == "AKID");
            CHECK(parsed->date == "20240101");
            CHECK(parsed->region == "eu-west-1");
            CHECK(parsed->service == "rekognition");
            CHECK(parsed->signed_headers == std::vector<std::string>{"host", "x-amz-date"});
            CHECK(parsed->signed_headers_text == "host;x-amz-date");
            CHECK(parsed->signature == "0123abcd");
            CHECK(parsed->credential_scope() == "20240101/eu-west-1/rekognition/aws4_request");
        }
    }

    TEST_CASE("anything but exactly one of each parameter is refused") {
        const std::string spoof =
            "XCredential=111122223333/20240101/us-east-1/rekognition/"
            "aws4_request";
        for (
            const std::string& header : std::vector<std::string>{
                "",
                "AWS4-HMAC-SHA256",
                "AWS4-HMAC-SHA1 " + kCredential + ", " + kSigned + ", " + kSignature,
                "AWS4-HMAC-SHA256 " + spoof + ", " + kCredential + ", " + kSigned + ", " +
                    kSignature,
                "AWS4-HMAC-SHA256 " + spoof + " " + kCredential + ", " + kSigned + ", " +
                    kSignature,
                "AWS4-HMAC-SHA256 " + kCredential + ", " + kCredential + ", " + kSigned + ", " +
                    kSignature,
                "AWS4-HMAC-SHA256 " + kCredential + ", " + kCredential + ", " + kSignature,
                "AWS4-HMAC-SHA256 " + kCredential + ", " + kSigned + ", " + kSignature + ",",
                "AWS4-HMAC-SHA256 " + kCredential + ", " + kSigned + ", " + kSignature +
                    ", Extra=1",
                "AWS4-HMAC-SHA256 " + kCredential + ", " + kSigned,
                "AWS4-HMAC-SHA256 " + kCredential + ",, " + kSigned + ", " + kSignature,
                "AWS4-HMAC-SHA256 credential=AKID/20240101/eu-west-1/rekognition/aws4_request, " +
                    kSigned + ", " + kSignature,
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/rekognition, " + kSigned +
                    ", " + kSignature,
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/rekognition/aws4_request/x, " +
                    kSigned + ", " + kSignature,
                "AWS4-HMAC-SHA256 Credential=AKID//eu-west-1/rekognition/aws4_request, " + kSigned +
                    ", " + kSignature,
                "AWS4-HMAC-SHA256 Credential=AKID 1/20240101/eu-west-1/rekognition/aws4_request, " +
                    kSigned + ", " + kSignature,
                "AWS4-HMAC-SHA256 " + kCredential + ", SignedHeaders=host;;date, " + kSignature,
                "AWS4-HMAC-SHA256 " + kCredential + ", SignedHeaders=, " + kSignature,
                "AWS4-HMAC-SHA256 " + kCredential + ", " + kSigned + ", Signature",
            }) {
            CAPTURE(header);
            CHECK_FALSE(parse_sigv4_authorization(header).has_value());
        }
    }
}
