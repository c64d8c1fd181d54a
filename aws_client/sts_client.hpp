#pragma once

// The one STS call the commands need: GetCallerIdentity, whose answer names the account the
// credentials belong to (AWS's answers to Rekognition name none). AWS query protocol: a form body
// POSTed to the regional STS endpoint, an XML answer.

#include <stdexcept>
#include <string>

#include "aws_http_client.hpp"

namespace rekmock::aws {

// GetCallerIdentity answered an error (its Code, Message and status in the message).
class StsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The 12-digit account of `config`'s credentials (`config.service` is set to "sts"). Throws
// StsError for an error answer or one without an account, AwsUnavailable for none.
std::string caller_account(AwsEndpointConfig config);

}  // namespace rekmock::aws
