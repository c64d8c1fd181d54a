#include "aws_command_flags.hpp"

#include <stdexcept>

#include "endpoint_url.hpp"

namespace rekmock::cli {
namespace {

constexpr const char* kCredentialsFooter =
    "Credentials, as the AWS CLI finds them: with --profile, that profile's; otherwise\n"
    "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the profile named by\n"
    "AWS_PROFILE (else default) in ~/.aws/credentials and ~/.aws/config "
    "(AWS_SHARED_CREDENTIALS_FILE\n"
    "and AWS_CONFIG_FILE move them): static keys and session tokens only. NOT read: SSO (IAM\n"
    "Identity Center), credential_process, web identity tokens, assume-role profiles (role_arn),\n"
    "container and instance metadata; export such a profile's keys first, e.g.\n"
    "  eval \"$(aws configure export-credentials --profile NAME --format env)\"\n"
    "Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region. AWS_CA_BUNDLE names\n"
    "CAs to trust for https. Secrets are never printed.";

}  // namespace

const CLI::Validator kEndpointUrlFlag(
    [](const std::string& value) {
        try {
            objects::parse_endpoint_url(value);
            return std::string();
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
    },
    "URL");

const CLI::Validator kNonEmptyFlag(
    [](const std::string& value) { return value.empty() ? "value must not be empty" : ""; },
    "NONEMPTY");

void add_aws_flags(CLI::App& command, aws::AwsSettings& settings) {
    command.footer(kCredentialsFooter);
    command.add_option("--region", settings.region, "AWS region of the jobs")->check(kNonEmptyFlag);
    command.add_option("--profile", settings.profile, "Profile of ~/.aws/credentials and config")
        ->check(kNonEmptyFlag);
}

}  // namespace rekmock::cli
