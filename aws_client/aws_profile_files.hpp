#pragma once

// The AWS CLI's shared files, ~/.aws/credentials and ~/.aws/config, read as the AWS SDKs read
// them: INI sections of `name = value` settings, names in any case, `#` and `;` comment lines,
// indented lines continuing the setting above (nested settings such as `s3 =`). In the config
// file a profile's section is `[profile NAME]`, except `[default]`; in the credentials file it is
// `[NAME]`. A profile's settings are the config file's, overridden by the credentials file's.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "s3_config.hpp"

namespace rekmock::aws {

using Environment = objects::Environment;

// One setting and the file it came from (for messages: never its value).
struct ProfileSetting {
    std::string value;
    std::filesystem::path file;
};

// A profile's settings by lower-case name.
using ProfileSettings = std::map<std::string, ProfileSetting>;

// The sections of one INI text by name (trimmed), each setting's name in lower case; `file`
// is recorded with each setting.
std::map<std::string, ProfileSettings> parse_aws_ini(std::string_view text,
                                                     const std::filesystem::path& file);

// Where the two files are: AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (a leading "~/" is
// HOME's), else ~/.aws/credentials and ~/.aws/config; std::nullopt without either variable or
// HOME.
struct ProfileFiles {
    std::optional<std::filesystem::path> credentials;
    std::optional<std::filesystem::path> config;
};
ProfileFiles profile_files(const Environment& environment);

// Profile `name`'s settings from both files (a file that does not exist holds no profile);
// std::nullopt when neither file has a section for it. Throws std::runtime_error naming the file
// when one exists but cannot be read.
std::optional<ProfileSettings> read_profile(const ProfileFiles& files, const std::string& name);

}  // namespace rekmock::aws
