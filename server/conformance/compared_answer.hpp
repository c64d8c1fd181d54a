#pragma once

// An answer of the AWS JSON 1.1 protocol as conformance compares it: its HTTP status, its
// Content-Type, whether it has an x-amzn-RequestId, and its body with the values that must
// differ between two endpoints normalised away (JobIds, timestamps, tokens, request and log
// ids, messages' wording, S3 object versions), their JSON types kept.

#include <nlohmann/json.hpp>

#include "aws_http_client.hpp"
#include "json_diff.hpp"

namespace rekmock::conformance {

// How a successful answer's body is compared: its normalised values (the same request on both
// sides: a Start, a job both started alike), or only its shape (answers about different jobs).
// An error's body is always compared by its values.
enum class BodyView { Values, Shape };

// `body` with each value that must differ replaced by a stand-in of the same JSON type:
// "JobId" -> "<JobId>" (and that JobId inside the object's other strings), members named
// "...Timestamp" -> 0 or "<timestamp>", "NextToken" -> "<token>", "Message"/"message" ->
// "<message>", "Logref" -> "<logref>", an S3Object's "Version" -> "<version>".
nlohmann::json normalised_body(const nlohmann::json& body);

// {"HTTP status": 400, "Content-Type": "...", "x-amzn-RequestId": "present",
//  "body": {...}}: Content-Type omitted when absent, x-amzn-RequestId "present" or omitted, the
// body normalised (or "<empty>", "<not JSON: N bytes>"). An answer of status 0, one that never
// came, is {"HTTP status": "no answer"}.
nlohmann::json compared_answer(const aws::AwsResponse& response, BodyView view);

// The `__type` a compared answer's body names, "" when none.
std::string error_type(const nlohmann::json& compared);

// The differences between two compared answers. When their statuses differ, the statuses (with
// each error's `__type`) and the headers are compared, not the bodies, which then describe
// different things. `rules` say which body members may be absent on one side.
Comparison compare_answers(const nlohmann::json& reference, const nlohmann::json& candidate,
                           const DiffRules& rules = {});

}  // namespace rekmock::conformance
