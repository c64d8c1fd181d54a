#pragma once

// The credentials and region an AWS tool would use, found where the AWS CLI finds them, for the
// mock's commands that call AWS (`snapshot`). Read: the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), then a profile's static keys and session token in
// ~/.aws/credentials and ~/.aws/config (aws_profile_files.hpp). Not read: SSO, credential_process,
// web identity tokens, assume-role profiles, container and instance metadata; a profile that uses
// one of them is refused with a message that says so and how to export its keys instead.

#include <optional>
#include <stdexcept>
#include <string>

#include "aws_profile_files.hpp"
#include "sigv4_signing.hpp"

namespace rekmock::aws {

// What the command line gave (--profile, --region).
struct AwsSettings {
    std::optional<std::string> profile = std::nullopt;
    std::optional<std::string> region = std::nullopt;
};

// Credentials and region, with where each came from: "the environment", "profile prod
// (/home/u/.aws/credentials)". The sources name files and variables, never a key.
struct AwsContext {
    sigv4::Credentials credentials;
    std::string credentials_source;
    std::string region;
    std::string region_source;
};

// No usable credentials or region, or a profile that cannot be read; the message says which
// sources were tried and what to do.
class AwsConfigurationError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Credentials as the AWS CLI finds them: with --profile, that profile's (the environment's keys
// are not used, as `aws --profile` ignores them); otherwise AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN) when set, else the profile's. Region: --region,
// AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`. Throws AwsConfigurationError.
AwsContext resolve_aws_context(const AwsSettings& given, const Environment& environment);

}  // namespace rekmock::aws
