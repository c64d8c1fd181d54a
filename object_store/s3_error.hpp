#pragma once

// S3's error answers: the Code and Message of the XML body, the ObjectErrorKind each means and
// which are worth sending again.

#include <string>
#include <string_view>

#include "object_store.hpp"

namespace rekmock::objects {

struct S3ErrorReply {
    unsigned status = 0;
    std::string code;  // "NoSuchKey"; "" when the body has none (a HEAD, a proxy's page)
    std::string message;
};

// The reply of status `status` whose body is `body` (an <Error> document or anything else).
S3ErrorReply parse_s3_error(unsigned status, std::string_view body);

// Whether the same request may succeed later: a 5xx, a 429 or a throttling code.
bool is_retryable(const S3ErrorReply& reply);

// The kind of ObjectStoreError `reply` is.
ObjectErrorKind error_kind(const S3ErrorReply& reply);

// The error for `reply` to `operation` ("GetObject") on `target` ("s3://bucket/key"): a message
// naming both and the server's code and message.
ObjectStoreError s3_error(const S3ErrorReply& reply, std::string_view operation,
                          std::string_view target);

}  // namespace rekmock::objects
