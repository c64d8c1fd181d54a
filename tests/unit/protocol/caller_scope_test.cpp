#include "caller_scope.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using rekmock::Scope;

namespace {

// The scope of a request with `header`, for callers of `default_account` by default.
Scope caller_scope(const std::string& header, const std::string& default_account) {
    return rekmock::protocol::caller_scope(rekmock::protocol::parse_sigv4_authorization(header),
                                           Scope{default_account, "us-east-1"});
}

const std::string kDefaultAccount = "000000000000";

// A botocore-style SigV4 header for `access_key` and `region`.
std::string authorization(const std::string& access_key, const std::string& region) {
    return "AWS4-HMAC-SHA256 Credential=" + access_key + "/20240101/" + region +
           "/rekognition/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
}

}  // namespace

TEST_SUITE("caller_scope") {
    TEST_CASE("a SigV4 header names the region, a non-numeric key keeps the default account") {
        CHECK(caller_scope("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/"
                           "rekognition/aws4_request, SignedHeaders=host;x-amz-date, "
                           "Signature=abc",
                           kDefaultAccount) == Scope{kDefaultAccount, "eu-west-1"});
        CHECK(caller_scope(authorization("AKIDEXAMPLE", "ap-southeast-2"), "123456789012") ==
              Scope{"123456789012", "ap-southeast-2"});
        CHECK(caller_scope(authorization("AKIDEXAMPLE", "us-gov-west-1"), kDefaultAccount) ==
              Scope{kDefaultAccount, "us-gov-west-1"});
        // Without spaces after the commas, as some SDKs write it.
        CHECK(caller_scope("AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-central-1/rekognition/"
                           "aws4_request,SignedHeaders=host,Signature=abc",
                           kDefaultAccount) == Scope{kDefaultAccount, "eu-central-1"});
    }

    TEST_CASE("a 12-digit access key id is the account") {
        CHECK(caller_scope(authorization("111122223333", "eu-west-1"), kDefaultAccount) ==
              Scope{"111122223333", "eu-west-1"});
        CHECK(caller_scope(authorization("000000000001", "us-east-1"), kDefaultAccount) ==
              Scope{"000000000001", "us-east-1"});
        for (const char* key : {"11112222333", "1111222233334", "11112222333a", "-11122223333"}) {
            INFO(std::string(key));
            CHECK(caller_scope(authorization(key, "eu-west-1"), kDefaultAccount) ==
                  Scope{kDefaultAccount, "eu-west-1"});
        }
    }

    TEST_CASE("a missing or unreadable header is the default account in us-east-1") {
        const Scope expected{kDefaultAccount, "us-east-1"};
        for (const std::string& header : std::vector<std::string>{
                 "", "garbage", "Bearer abc.def", "AWS4-HMAC-SHA256",
                 "AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 Credential=111122223333",
                 "AWS4-HMAC-SHA256 Credential=AKID/20240101",
                 "AWS4-HMAC-SHA256 Credential=111122223333/20240101/eu-west-1",
                 "AWS4-HMAC-SHA256 Credential=111122223333/20240101/eu-west-1/rekognition",
                 "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1, SignedHeaders=host/a/b",
                 // Not exactly one Credential, SignedHeaders and Signature: an account named in
                 // an extra or repeated parameter must never become the caller's.
                 "AWS4-HMAC-SHA256 XCredential=111122223333/20240101/eu-west-1/rekognition/"
                 "aws4_request, Credential=AKID/20240101/eu-west-1/rekognition/aws4_request, "
                 "SignedHeaders=host, Signature=abc",
                 "AWS4-HMAC-SHA256 Credential=111122223333/20240101/eu-west-1/rekognition/"
                 "aws4_request, Credential=AKID/20240101/eu-west-1/rekognition/aws4_request, "
                 "SignedHeaders=host, Signature=abc",
                 "AWS4-HMAC-SHA256 Credential=/20240101/eu-west-1/rekognition/aws4_request, "
                 "SignedHeaders=host, Signature=abc",
                 "AWS4-HMAC-SHA256 Credential=111122223333/20240101/eu-west-1/rekognition/"
                 "aws4_request, SignedHeaders=host, Signature=abc, Extra=1",
                 authorization("１１１１２２２２３３３３", "eu-west-1"),  // not ASCII
             }) {
            CAPTURE(header);
            CHECK(caller_scope(header, kDefaultAccount) == expected);
        }
        CHECK(caller_scope("", "222233334444") == Scope{"222233334444", "us-east-1"});
    }

    TEST_CASE("a region with uppercase or odd characters falls back to us-east-1") {
        for (const std::string& region :
             {std::string("EU-WEST-1"), std::string("eu-West-1"), std::string("eu_west_1"),
              std::string("eu.west.1"), std::string(""), std::string("eu west"),
              std::string("r\xc3\xa9gion"), std::string(33, 'a')}) {
            CAPTURE(region);
            CHECK(caller_scope(authorization("AKIDEXAMPLE", region), kDefaultAccount) ==
                  Scope{kDefaultAccount, "us-east-1"});
        }
        // The account is still read when only the region is unusable.
        CHECK(caller_scope(authorization("111122223333", "EU-WEST-1"), kDefaultAccount) ==
              Scope{"111122223333", "us-east-1"});
        CHECK(caller_scope(authorization("AKID", std::string(32, 'a')), kDefaultAccount) ==
              Scope{kDefaultAccount, std::string(32, 'a')});
    }
}
