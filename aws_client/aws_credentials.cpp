#include "aws_credentials.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace rekmock::aws {
namespace {

// A profile setting that names a credential source this reader does not follow, and what it is.
struct UnreadSource {
    std::string_view setting;
    std::string_view what;
};
// In the order the AWS CLI tries them before a profile's static keys (credential_process comes
// after them: a profile with both uses its keys).
constexpr std::array kSourcesBeforeKeys{
    UnreadSource{"role_arn", "assumes a role (role_arn)"},
    UnreadSource{"web_identity_token_file", "uses a web identity token (web_identity_token_file)"},
    UnreadSource{"sso_session", "uses IAM Identity Center (sso_session)"},
    UnreadSource{"sso_start_url", "uses IAM Identity Center (sso_start_url)"},
};
constexpr UnreadSource kCredentialProcess{"credential_process",
                                          "gets its keys from a program (credential_process)"};

// The hint every refusal ends with: the keys of any profile can be exported for the command.
std::string export_hint(const std::string& profile) {
    return "rekognition-mock reads static keys and session tokens only; export the profile's "
           "current "
           "keys into the environment first, for example with `eval \"$(aws configure "
           "export-credentials --profile " +
           profile + " --format env)\"` (AWS CLI v2)";
}

std::optional<std::string> setting(const std::optional<ProfileSettings>& profile,
                                   const std::string& name) {
    if (!profile) {
        return std::nullopt;
    }
    const auto found = profile->find(name);
    if (found == profile->end() || found->second.value.empty()) {
        return std::nullopt;
    }
    return found->second.value;
}

std::string described_files(const ProfileFiles& files) {
    std::string text;
    for (const auto& file : {files.credentials, files.config}) {
        if (file) {
            text += (text.empty() ? "" : " and ") + file->string();
        }
    }
    return text.empty() ? "no profile file (HOME is not set)" : text;
}

// Static keys of `profile` (named `name`), or AwsConfigurationError saying why there are none.
std::pair<sigv4::Credentials, std::string> profile_credentials(
    const std::optional<ProfileSettings>& profile, const std::string& name,
    const ProfileFiles& files) {
    const std::string named = "profile " + name;
    if (!profile) {
        throw AwsConfigurationError(
            "no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set and " +
            named + " is not in " + described_files(files));
    }
    for (const UnreadSource& source : kSourcesBeforeKeys) {
        if (setting(profile, std::string(source.setting))) {
            throw AwsConfigurationError(named + " " + std::string(source.what) + "; " +
                                        export_hint(name));
        }
    }
    const auto key = setting(profile, "aws_access_key_id");
    const auto secret = setting(profile, "aws_secret_access_key");
    if (key && secret) {
        sigv4::Credentials credentials{*key, *secret, setting(profile, "aws_session_token")};
        return {std::move(credentials),
                named + " (" + profile->at("aws_access_key_id").file.string() + ")"};
    }
    if (key || secret) {
        throw AwsConfigurationError(named + " has " +
                                    (key ? "aws_access_key_id but no aws_secret_access_key"
                                         : "aws_secret_access_key but no aws_access_key_id"));
    }
    if (setting(profile, std::string(kCredentialProcess.setting))) {
        throw AwsConfigurationError(named + " " + std::string(kCredentialProcess.what) + "; " +
                                    export_hint(name));
    }
    throw AwsConfigurationError(named + " (in " + described_files(files) +
                                ") has no aws_access_key_id and aws_secret_access_key");
}

}  // namespace

AwsContext resolve_aws_context(const AwsSettings& given, const Environment& environment) {
    // The profile to read: --profile, else AWS_PROFILE, else "default".
    const std::string name = given.profile.value_or(environment("AWS_PROFILE").value_or("default"));
    const bool named = given.profile || environment("AWS_PROFILE");
    const ProfileFiles files = profile_files(environment);
    std::optional<ProfileSettings> profile;
    try {
        profile = read_profile(files, name);
    } catch (const std::runtime_error& e) {
        throw AwsConfigurationError(e.what());
    }
    // A profile asked for by name must exist, even when the environment's keys are used (the
    // AWS CLI refuses it too): its region may be the one meant.
    if (named && !profile) {
        throw AwsConfigurationError("profile " + name + " is not in " + described_files(files));
    }

    AwsContext context;
    const auto key = environment("AWS_ACCESS_KEY_ID");
    const auto secret = environment("AWS_SECRET_ACCESS_KEY");
    if (!given.profile && (key || secret)) {
        if (!key || !secret) {
            throw AwsConfigurationError(
                key ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
        }
        context.credentials = {*key, *secret, environment("AWS_SESSION_TOKEN")};
        context.credentials_source = "the environment (AWS_ACCESS_KEY_ID)";
    } else {
        auto [credentials, source] = profile_credentials(profile, name, files);
        context.credentials = std::move(credentials);
        context.credentials_source = std::move(source);
    }

    if (given.region) {
        context.region = *given.region;
        context.region_source = "--region";
    } else if (const auto region = environment("AWS_REGION")) {
        context.region = *region;
        context.region_source = "AWS_REGION";
    } else if (const auto fallback = environment("AWS_DEFAULT_REGION")) {
        context.region = *fallback;
        context.region_source = "AWS_DEFAULT_REGION";
    } else if (const auto configured = setting(profile, "region")) {
        context.region = *configured;
        context.region_source =
            "profile " + name + " (" + profile->at("region").file.string() + ")";
    } else {
        throw AwsConfigurationError(
            "no AWS region: give --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region "
            "in profile " +
            name);
    }
    // It becomes part of host names (rekognition.<region>.amazonaws.com).
    if (context.region.empty() ||
        context.region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") !=
            std::string::npos) {
        throw AwsConfigurationError("the AWS region from " + context.region_source + ", '" +
                                    context.region +
                                    "', is not a region name (lower-case letters, digits, '-')");
    }
    return context;
}

}  // namespace rekmock::aws
