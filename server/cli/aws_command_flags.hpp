#pragma once

// What the subcommands that call a Rekognition endpoint with AWS credentials (`snapshot`,
// `conformance`) share on their command line: --region, --profile, the help on where the
// credentials are read, and the checks of their values.

#include <CLI/CLI.hpp>

#include "aws_credentials.hpp"

namespace rekmock::cli {

// A URL the S3 client can connect to: http:// or https://, a host, an optional port and path.
extern const CLI::Validator kEndpointUrlFlag;
// Refuses "": CLI11 would read it as a value given.
extern const CLI::Validator kNonEmptyFlag;

// Adds --region and --profile to `command`, filling `settings`, and the help's footer on the
// credentials read and not read.
void add_aws_flags(CLI::App& command, aws::AwsSettings& settings);

}  // namespace rekmock::cli
