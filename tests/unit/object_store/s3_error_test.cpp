#include "s3_error.hpp"

#include <doctest/doctest.h>

#include <string>

using rekmock::objects::error_kind;
using rekmock::objects::is_retryable;
using rekmock::objects::ObjectErrorKind;
using rekmock::objects::parse_s3_error;
using rekmock::objects::s3_error;
using rekmock::objects::S3ErrorReply;

namespace {

std::string error_body(const std::string& code) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
           "</Code><Message>says the server</Message><RequestId>1</RequestId></Error>";
}

ObjectErrorKind kind_of(unsigned status, const std::string& code) {
    return error_kind(parse_s3_error(status, code.empty() ? "" : error_body(code)));
}

}  // namespace

TEST_SUITE("s3_error") {
    TEST_CASE("the XML body's Code and Message, none from a body that is not an S3 error") {
        const S3ErrorReply reply = parse_s3_error(404, error_body("NoSuchKey"));
        CHECK(reply.status == 404);
        CHECK(reply.code == "NoSuchKey");
        CHECK(reply.message == "says the server");
        CHECK(parse_s3_error(502, "<html><body>Bad Gateway</body></html>").code.empty());
        CHECK(parse_s3_error(404, "").code.empty());
    }

    TEST_CASE("S3's error families map to the store's kinds") {
        CHECK(kind_of(404, "NoSuchBucket") == ObjectErrorKind::NoSuchBucket);
        CHECK(kind_of(404, "NoSuchKey") == ObjectErrorKind::NoSuchKey);
        CHECK(kind_of(404, "NoSuchVersion") == ObjectErrorKind::NoSuchKey);
        CHECK(kind_of(400, "NoSuchVersion") == ObjectErrorKind::NoSuchKey);
        CHECK(kind_of(404, "") == ObjectErrorKind::NoSuchKey);  // a HEAD has no body
        CHECK(kind_of(403, "AccessDenied") == ObjectErrorKind::AccessDenied);
        CHECK(kind_of(403, "SignatureDoesNotMatch") == ObjectErrorKind::AccessDenied);
        CHECK(kind_of(403, "InvalidAccessKeyId") == ObjectErrorKind::AccessDenied);
        CHECK(kind_of(400, "ExpiredToken") == ObjectErrorKind::AccessDenied);
        CHECK(kind_of(403, "") == ObjectErrorKind::AccessDenied);
        CHECK(kind_of(416, "InvalidRange") == ObjectErrorKind::InvalidRequest);
        CHECK(kind_of(400, "InvalidArgument") == ObjectErrorKind::InvalidRequest);
        CHECK(kind_of(400, "KeyTooLongError") == ObjectErrorKind::InvalidRequest);
        CHECK(kind_of(400, "EntityTooSmall") == ObjectErrorKind::InvalidRequest);
        CHECK(kind_of(301, "PermanentRedirect") == ObjectErrorKind::InvalidRequest);
        CHECK(kind_of(503, "SlowDown") == ObjectErrorKind::Unavailable);
        CHECK(kind_of(500, "InternalError") == ObjectErrorKind::Unavailable);
        CHECK(kind_of(502, "") == ObjectErrorKind::Unavailable);
        CHECK(kind_of(429, "") == ObjectErrorKind::Unavailable);
    }

    TEST_CASE("only 5xx, 429 and throttling codes are retried") {
        CHECK(is_retryable(parse_s3_error(500, "")));
        CHECK(is_retryable(parse_s3_error(503, error_body("SlowDown"))));
        CHECK(is_retryable(parse_s3_error(429, "")));
        CHECK(is_retryable(parse_s3_error(400, error_body("Throttling"))));
        CHECK(is_retryable(parse_s3_error(400, error_body("RequestLimitExceeded"))));
        CHECK(is_retryable(parse_s3_error(200, error_body("InternalError"))));
        for (const char* code : {"NoSuchKey", "AccessDenied", "InvalidRange", "BadDigest", ""}) {
            INFO(code);
            CHECK_FALSE(is_retryable(parse_s3_error(400, error_body(code))));
            CHECK_FALSE(is_retryable(parse_s3_error(404, error_body(code))));
        }
    }

    TEST_CASE("the message names the operation, the object, the code and the status") {
        const auto error =
            s3_error(parse_s3_error(404, error_body("NoSuchBucket")), "GetObject", "s3://b/k");
        CHECK(error.kind() == ObjectErrorKind::NoSuchBucket);
        CHECK(std::string(error.what()) ==
              "S3 GetObject s3://b/k: NoSuchBucket (HTTP 404): says the server");
        CHECK(std::string(s3_error(parse_s3_error(404, ""), "GetObject", "s3://b/k").what()) ==
              "S3 GetObject s3://b/k: no error code (HTTP 404)");
    }
}
