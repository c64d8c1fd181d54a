#include "s3_error.hpp"

#include <algorithm>
#include <initializer_list>

#include "retry_policy.hpp"
#include "s3_xml.hpp"

namespace rekmock::objects {
namespace {

bool one_of(std::string_view code, std::initializer_list<std::string_view> codes) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

S3ErrorReply parse_s3_error(unsigned status, std::string_view body) {
    S3ErrorReply reply;
    reply.status = status;
    // An <Error> root only: a 200 CompleteMultipartUpload may also carry one, nothing else does.
    if (body.find("<Error") != std::string_view::npos) {
        reply.code = xml_element_text(body, "Code").value_or("");
        reply.message = xml_element_text(body, "Message").value_or("");
    }
    return reply;
}

bool is_retryable(const S3ErrorReply& reply) {
    return is_retryable_status(reply.status) || is_retryable_code(reply.code);
}

ObjectErrorKind error_kind(const S3ErrorReply& reply) {
    if (reply.code == "NoSuchBucket") {
        return ObjectErrorKind::NoSuchBucket;
    }
    if (one_of(reply.code, {"NoSuchKey", "NoSuchVersion"}) ||
        (reply.status == 404 && reply.code.empty())) {
        return ObjectErrorKind::NoSuchKey;
    }
    if (reply.status == 401 || reply.status == 403 ||
        one_of(reply.code, {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                            "ExpiredToken", "InvalidToken", "TokenRefreshRequired"})) {
        return ObjectErrorKind::AccessDenied;
    }
    if (is_retryable(reply)) {
        return ObjectErrorKind::Unavailable;
    }
    // Everything else the server refused to do with this name, range or body.
    return ObjectErrorKind::InvalidRequest;
}

ObjectStoreError s3_error(const S3ErrorReply& reply, std::string_view operation,
                          std::string_view target) {
    std::string message = "S3 " + std::string(operation) + " " + std::string(target) + ": ";
    message += reply.code.empty() ? "no error code" : reply.code;
    message += " (HTTP " + std::to_string(reply.status) + ")";
    if (!reply.message.empty()) {
        message += ": " + reply.message;
    }
    return ObjectStoreError(error_kind(reply), message);
}

}  // namespace rekmock::objects
