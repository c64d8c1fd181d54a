#include "sigv4_signing.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

namespace sigv4 = rekmock::sigv4;
using namespace std::chrono_literals;

namespace {

// AWS's SigV4 test suite (aws-sig-v4-test-suite, as aws-c-auth ships it) and the IAM User Guide's
// ListUsers example: their example credentials, time, region and service.
const sigv4::Credentials kSuiteCredentials{
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}};
const std::chrono::system_clock::time_point kSuiteTime =
    std::chrono::sys_days(std::chrono::year(2015) / std::chrono::August / 30) + 12h + 36min;

// The S3 API Reference, "Signature Calculations for the Authorization Header: Transferring
// Payload in a Single Chunk", its examples against examplebucket (note the '/' in the secret).
const sigv4::Credentials kS3Credentials{
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", {}};
const std::chrono::system_clock::time_point kS3Time =
    std::chrono::sys_days(std::chrono::year(2013) / std::chrono::May / 24);
const std::string kS3Host = "examplebucket.s3.amazonaws.com";

struct Example {
    std::string method;
    std::string path;
    std::string query;
    std::vector<sigv4::HeaderView> headers;
    std::string body;
};

// The headers Signer::sign adds for `example`, by name.
std::vector<sigv4::Header> sign(const sigv4::Signer& signer, const Example& example,
                                std::chrono::system_clock::time_point at) {
    const std::string payload_hash = sigv4::sha256_hex(example.body);
    return signer.sign({example.method, example.path, example.query, example.headers, payload_hash},
                       at);
}

std::string header(const std::vector<sigv4::Header>& headers, const std::string& name) {
    for (const auto& [key, value] : headers) {
        if (key == name) {
            return value;
        }
    }
    return "(absent)";
}

std::string suite_authorization(const std::string& signed_headers, const std::string& signature) {
    return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
           "SignedHeaders=" +
           signed_headers + ", Signature=" + signature;
}

std::string s3_authorization(const std::string& signed_headers, const std::string& signature) {
    return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
           "SignedHeaders=" +
           signed_headers + ", Signature=" + signature;
}

const sigv4::HeaderView kSuiteHost{"Host", "example.amazonaws.com"};

}  // namespace

TEST_SUITE("sigv4_signing") {
    TEST_CASE("the AWS SigV4 test suite's vectors sign to their published signatures") {
        const sigv4::Signer signer(kSuiteCredentials, "us-east-1", "service");
        struct Vector {
            const char* name;
            Example request;
            const char* signed_headers;
            const char* signature;
        };
        const std::string unreserved =
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        const std::vector<Vector> vectors = {
            {"get-vanilla",
             {"GET", "/", "", {kSuiteHost}, ""},
             "host;x-amz-date",
             "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
            {"get-vanilla-query-order-key-case",
             {"GET", "/", "Param2=value2&Param1=value1", {kSuiteHost}, ""},
             "host;x-amz-date",
             "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
            {"get-vanilla-query-unreserved",
             {"GET", "/", unreserved + "=" + unreserved, {kSuiteHost}, ""},
             "host;x-amz-date",
             "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
            {"get-vanilla-utf8-query",
             {"GET", "/", "\xe1\x88\xb4=bar", {kSuiteHost}, ""},
             "host;x-amz-date",
             "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
            {"get-unreserved",
             {"GET", "/" + unreserved, "", {kSuiteHost}, ""},
             "host;x-amz-date",
             "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
            {"get-utf8",
             {"GET", "/\xe1\x88\xb4", "", {kSuiteHost}, ""},
             "host;x-amz-date",
             "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
            {"get-header-value-trim",
             {"GET",
              "/",
              "",
              {kSuiteHost, {"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
              ""},
             "host;my-header1;my-header2;x-amz-date",
             "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
            {"post-vanilla",
             {"POST", "/", "", {kSuiteHost}, ""},
             "host;x-amz-date",
             "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
            {"post-vanilla-query",
             {"POST", "/", "Param1=value1", {kSuiteHost}, ""},
             "host;x-amz-date",
             "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
            {"post-header-key-sort",
             {"POST", "/", "", {kSuiteHost, {"My-Header1", "value1"}}, ""},
             "host;my-header1;x-amz-date",
             "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
            {"post-header-value-case",
             {"POST", "/", "", {kSuiteHost, {"My-Header1", "VALUE1"}}, ""},
             "host;my-header1;x-amz-date",
             "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
            {"post-x-www-form-urlencoded",
             {"POST",
              "/",
              "",
              {{"Content-Type", "application/x-www-form-urlencoded"}, kSuiteHost},
              "Param1=value1"},
             "content-type;host;x-amz-date",
             "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
            {"post-x-www-form-urlencoded-parameters",
             {"POST",
              "/",
              "",
              {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}, kSuiteHost},
              "Param1=value1"},
             "content-type;host;x-amz-date",
             "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
        };
        for (const Vector& vector : vectors) {
            INFO(vector.name);
            const auto added = sign(signer, vector.request, kSuiteTime);
            CHECK(header(added, "X-Amz-Date") == "20150830T123600Z");
            CHECK(header(added, "Authorization") ==
                  suite_authorization(vector.signed_headers, vector.signature));
            CHECK(header(added, "X-Amz-Content-Sha256") == "(absent)");
            CHECK(header(added, "X-Amz-Security-Token") == "(absent)");
        }
    }

    TEST_CASE("get-vanilla-with-session-token: the token is sent and signed") {
        sigv4::Credentials credentials = kSuiteCredentials;
        credentials.session_token =
            "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        const sigv4::Signer signer(credentials, "us-east-1", "service");
        const auto added = sign(signer, {"GET", "/", "", {kSuiteHost}, ""}, kSuiteTime);
        CHECK(header(added, "X-Amz-Security-Token") == *credentials.session_token);
        CHECK(header(added, "Authorization") ==
              suite_authorization(
                  "host;x-amz-date;x-amz-security-token",
                  "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"));
    }

    TEST_CASE("the IAM User Guide's ListUsers example signs to its published signature") {
        const sigv4::Signer signer(kSuiteCredentials, "us-east-1", "iam");
        const auto added =
            sign(signer,
                 {"GET",
                  "/",
                  "Action=ListUsers&Version=2010-05-08",
                  {{"Host", "iam.amazonaws.com"},
                   {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                  ""},
                 kSuiteTime);
        CHECK(header(added, "Authorization") ==
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
              "SignedHeaders=content-type;host;x-amz-date, "
              "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    TEST_CASE("the S3 API Reference's header-based examples sign to their published signatures") {
        const sigv4::Signer signer(kS3Credentials, "us-east-1", "s3", sigv4::kS3Rules);
        const sigv4::HeaderView host{"Host", kS3Host};

        SUBCASE("GET Object with a Range") {
            const auto added =
                sign(signer, {"GET", "/test.txt", "", {host, {"Range", "bytes=0-9"}}, ""}, kS3Time);
            CHECK(header(added, "X-Amz-Content-Sha256") == sigv4::kEmptyPayloadHash);
            CHECK(header(added, "X-Amz-Date") == "20130524T000000Z");
            CHECK(header(added, "Authorization") ==
                  s3_authorization(
                      "host;range;x-amz-content-sha256;x-amz-date",
                      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        }
        SUBCASE("PUT Object: the path is signed as sent, $ already encoded, not encoded twice") {
            const Example put{"PUT",
                              "/test%24file.text",
                              "",
                              {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                               host,
                               {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                              "Welcome to Amazon S3."};
            CHECK(sigv4::sha256_hex(put.body) ==
                  "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
            const auto added = sign(signer, put, kS3Time);
            CHECK(header(added, "Authorization") ==
                  s3_authorization(
                      "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                      "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
        }
        SUBCASE("GET Bucket Lifecycle: a query name without a value") {
            const auto added = sign(signer, {"GET", "/", "lifecycle", {host}, ""}, kS3Time);
            CHECK(header(added, "Authorization") ==
                  s3_authorization(
                      "host;x-amz-content-sha256;x-amz-date",
                      "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
        }
        SUBCASE("Get Bucket (List Objects)") {
            const auto added =
                sign(signer, {"GET", "/", "max-keys=2&prefix=J", {host}, ""}, kS3Time);
            CHECK(header(added, "Authorization") ==
                  s3_authorization(
                      "host;x-amz-content-sha256;x-amz-date",
                      "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
        }
    }

    TEST_CASE("the S3 GET Object example's intermediate forms match the documented ones") {
        const std::vector<sigv4::HeaderView> headers = {
            {"Host", kS3Host},
            {"Range", "bytes=0-9"},
            {"x-amz-content-sha256", sigv4::kEmptyPayloadHash},
            {"x-amz-date", "20130524T000000Z"}};
        const std::vector<std::string> names = {"host", "range", "x-amz-content-sha256",
                                                "x-amz-date"};
        const std::string canonical = sigv4::canonical_request(
            "GET", sigv4::canonical_uri("/test.txt", false), sigv4::canonical_query(""),
            sigv4::canonical_headers(headers, names), "host;range;x-amz-content-sha256;x-amz-date",
            sigv4::kEmptyPayloadHash);
        CHECK(
            canonical ==
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        const std::string scope = sigv4::credential_scope("20130524", "us-east-1", "s3");
        CHECK(scope == "20130524/us-east-1/s3/aws4_request");
        const std::string to_sign = sigv4::string_to_sign("20130524T000000Z", scope, canonical);
        CHECK(to_sign ==
              "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
              "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        CHECK(
            sigv4::signature(
                sigv4::signing_key(kS3Credentials.secret_access_key, "20130524", "us-east-1", "s3"),
                to_sign) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    // Computed by botocore 1.43.11's S3SigV4Auth (a key with a space, '~' and an encoded '+', and
    // a session token), which signs S3 paths as sent.
    TEST_CASE("an S3 key with escapes and a session token signs as botocore signs it") {
        sigv4::Credentials credentials = kS3Credentials;
        credentials.session_token = "TOKEN";
        const sigv4::Signer signer(credentials, "us-east-1", "s3", sigv4::kS3Rules);
        const auto added =
            sign(signer, {"GET", "/a%20b/c~d%2Be", "", {{"Host", kS3Host}}, ""}, kS3Time);
        CHECK(header(added, "X-Amz-Security-Token") == "TOKEN");
        CHECK(header(added, "Authorization") ==
              s3_authorization("host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
                               "ff94faf224f8dac0ddaf841889726f8d704cf0152fea19b64d1e45cbf2d38c18"));
    }

    TEST_CASE("the path is encoded twice for other services, as sent for S3") {
        CHECK(sigv4::canonical_uri("/a%20b/c", true) == "/a%2520b/c");
        CHECK(sigv4::canonical_uri("/a%20b/c", false) == "/a%20b/c");
        CHECK(sigv4::canonical_uri("", true) == "/");
        CHECK(sigv4::canonical_uri("", false) == "/");
    }

    TEST_CASE("a received path is decoded and encoded once, a malformed escape kept as text") {
        CHECK(sigv4::received_canonical_uri("/a%20b/c%7e") == "/a%20b/c~");
        CHECK(sigv4::received_canonical_uri("/a b/$") == "/a%20b/%24");
        CHECK(sigv4::received_canonical_uri("") == "/");
        CHECK(sigv4::received_canonical_uri("/100%/%41") == "/100%25/%2541");
    }

    TEST_CASE("the canonical query decodes, encodes and sorts, a malformed escape kept as text") {
        CHECK(sigv4::canonical_query("b=2&a=x%20y&A=1&c") == "A=1&a=x%20y&b=2&c=");
        CHECK(sigv4::canonical_query("a=2&a=1&a=10") == "a=1&a=10&a=2");
        CHECK(sigv4::canonical_query("t=a/b&e=caf%c3%a9&s=~._-") == "e=caf%C3%A9&s=~._-&t=a%2Fb");
        CHECK(sigv4::canonical_query("x=a+b") == "x=a%2Bb");
        CHECK(sigv4::canonical_query("&&x=1&") == "x=1");
        CHECK(sigv4::canonical_query("p=50%&q=%41") == "p=50%25&q=A");
        CHECK(sigv4::canonical_query("").empty());
    }

    TEST_CASE("canonical headers: trimmed, squeezed, repeated ones joined with ','") {
        const std::vector<sigv4::HeaderView> headers = {
            {"X-Multi", "  a  "}, {"Host", "h"}, {"x-multi", "b   c"}, {"X-MULTI", ""}};
        const std::vector<std::string> names = {"host", "x-multi", "x-absent"};
        CHECK(sigv4::canonical_headers(headers, names) == "host:h\nx-multi:a,b c,\nx-absent:\n");
        CHECK(sigv4::canonical_header_value("\t a \t b  ") == "a b");
    }

    TEST_CASE("X-Amz-Date: formatted in UTC to the second, parsed back") {
        CHECK(sigv4::amz_date(kSuiteTime + 999ms) == "20150830T123600Z");
        CHECK(sigv4::amz_date(std::chrono::sys_days(std::chrono::year(2024) / 2 / 29) + 23h +
                              59min + 59s) == "20240229T235959Z");
        CHECK(sigv4::parse_amz_date("20150830T123600Z") ==
              std::chrono::time_point_cast<std::chrono::seconds>(kSuiteTime));
        for (const char* bad : {"", "20150830T123600", "20150830 123600Z", "20150231T000000Z",
                                "20150830T246000Z", "2015083OT123600Z", "20150830T123600Z "}) {
            INFO(bad);
            CHECK(sigv4::parse_amz_date(bad) == std::nullopt);
        }
    }

    TEST_CASE("hex, SHA-256 and HMAC-SHA256 match RFC 4231's first test case") {
        CHECK(sigv4::sha256_hex("") == sigv4::kEmptyPayloadHash);
        CHECK(sigv4::hex(std::string("\x00\xff\x10", 3)) == "00ff10");
        CHECK(sigv4::hex(sigv4::hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }
}
