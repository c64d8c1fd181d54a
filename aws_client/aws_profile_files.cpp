#include "aws_profile_files.hpp"

#include <boost/algorithm/string/case_conv.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace rekmock::aws {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBlanks = " \t\r";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kBlanks);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(kBlanks) - first + 1);
}

// `path` with a leading "~/" made HOME's, as the SDKs expand it.
std::optional<fs::path> expand_home(const std::string& path, const Environment& environment) {
    if (path == "~" || path.starts_with("~/")) {
        const auto home = environment("HOME");
        if (!home) {
            return std::nullopt;
        }
        return fs::path(*home) / path.substr(path.size() == 1 ? 1 : 2);
    }
    return fs::path(path);
}

// The text of `path`; std::nullopt when it does not exist.
std::optional<std::string> read_if_exists(const fs::path& path) {
    std::error_code error;
    if (!fs::exists(path, error)) {
        if (error && error != std::errc::no_such_file_or_directory) {
            throw std::runtime_error("cannot read " + path.string() + ": " + error.message());
        }
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
        throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    return text.str();
}

// The profile a config file's section names: "default", or NAME of "profile NAME" (one word, or
// a quoted one, as the SDKs split it); std::nullopt for any other section (sso-session, services).
std::optional<std::string> config_profile(std::string_view section) {
    if (section == "default") {
        return std::string(section);
    }
    if (!section.starts_with("profile") || section.size() == 7 ||
        kBlanks.find(section[7]) == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view name = trim(section.substr(7));
    if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
        name.back() == name.front()) {
        name = name.substr(1, name.size() - 2);
    } else if (name.find_first_of(kBlanks) != std::string_view::npos) {
        return std::nullopt;
    }
    if (name.empty()) {
        return std::nullopt;
    }
    return std::string(name);
}

}  // namespace

std::map<std::string, ProfileSettings> parse_aws_ini(std::string_view text, const fs::path& file) {
    std::map<std::string, ProfileSettings> sections;
    ProfileSettings* section = nullptr;
    bool after_setting = false;  // an indented line continues the setting above it
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view raw = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') {
            continue;
        }
        if (after_setting && kBlanks.find(raw.front()) != std::string_view::npos) {
            continue;  // a nested setting (`s3 =` then `  addressing_style = path`) or a value's
                       // continuation: none of the settings read here spans lines
        }
        if (line.front() == '[' && line.back() == ']') {
            section = &sections[std::string(trim(line.substr(1, line.size() - 2)))];
            after_setting = false;
            continue;
        }
        const auto equals = line.find_first_of("=:");
        if (section == nullptr || equals == std::string_view::npos) {
            after_setting = false;
            continue;
        }
        (*section)[boost::algorithm::to_lower_copy(std::string(trim(line.substr(0, equals))),
                                                   std::locale::classic())] =
            ProfileSetting{std::string(trim(line.substr(equals + 1))), file};
        after_setting = true;
    }
    return sections;
}

ProfileFiles profile_files(const Environment& environment) {
    const auto locate = [&](const char* variable, const char* file) -> std::optional<fs::path> {
        if (const auto given = environment(variable)) {
            return expand_home(*given, environment);
        }
        return expand_home(std::string("~/.aws/") + file, environment);
    };
    return {locate("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            locate("AWS_CONFIG_FILE", "config")};
}

std::optional<ProfileSettings> read_profile(const ProfileFiles& files, const std::string& name) {
    std::optional<ProfileSettings> profile;
    // Each section read later overrides the settings of those before it.
    const auto merge = [&profile](ProfileSettings& settings) {
        if (!profile) {
            profile.emplace();
        }
        for (auto& [key, setting] : settings) {
            (*profile)[key] = std::move(setting);
        }
    };
    if (files.config) {
        if (const auto text = read_if_exists(*files.config)) {
            for (auto& [section, settings] : parse_aws_ini(*text, *files.config)) {
                // [default] and [profile default] both name the default profile.
                if (config_profile(section) == name) {
                    merge(settings);
                }
            }
        }
    }
    if (files.credentials) {
        if (const auto text = read_if_exists(*files.credentials)) {
            auto sections = parse_aws_ini(*text, *files.credentials);
            if (const auto found = sections.find(name); found != sections.end()) {
                merge(found->second);
            }
        }
    }
    return profile;
}

}  // namespace rekmock::aws
