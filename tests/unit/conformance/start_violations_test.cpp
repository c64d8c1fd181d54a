// The Start requests of the read-only scenario: each the harmless request with exactly one member
// changed, breaking exactly the constraint its name says.

#include "start_violations.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <set>

using nlohmann::json;
using rekmock::conformance::harmless_start_request;
using rekmock::conformance::start_violations;
using rekmock::conformance::StartViolation;

namespace {

const StartViolation& named(const std::vector<StartViolation>& all, const std::string& name) {
    for (const StartViolation& violation : all) {
        if (violation.name == name) {
            return violation;
        }
    }
    FAIL("no violation " << name);
    return all.front();
}

// Whether every character of `text` is a letter or digit (`alnum`) or one of `others`. The
// model's patterns are checked by hand: std::regex makes GCC 12 warn under the sanitizers.
bool only(std::string_view text, bool alnum, std::string_view others, bool lower_only = false) {
    return std::all_of(text.begin(), text.end(), [&](char c) {
        const auto u = static_cast<unsigned char>(c);
        const bool letter = lower_only ? (std::islower(u) != 0) : (std::isalpha(u) != 0);
        return (alnum && (letter || std::isdigit(u) != 0)) ||
               others.find(c) != std::string_view::npos;
    });
}

// The parts of `text` between `separator`s.
std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts{{}};
    for (const char c : text) {
        if (c == separator) {
            parts.emplace_back();
        } else {
            parts.back().push_back(c);
        }
    }
    return parts;
}

// arn:[a-z0-9-]+:rekognition:[a-z0-9-]+:[0-9]{12}:project/N/version/N/[0-9]+, N being
// [a-zA-Z0-9_.-]{1,255}: the model's ProjectVersion pattern.
bool project_version_arn(const std::string& arn) {
    const auto parts = split(arn, ':');
    if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "rekognition") {
        return false;
    }
    const auto named = [](const std::string& name) {
        return !name.empty() && name.size() <= 255 && only(name, true, "_.-");
    };
    const auto path = split(parts[5], '/');
    return !parts[1].empty() && only(parts[1], true, "-", true) && !parts[3].empty() &&
           only(parts[3], true, "-", true) && parts[4].size() == 12 &&
           only(parts[4], false, "0123456789") && path.size() == 5 && path[0] == "project" &&
           named(path[1]) && path[2] == "version" && named(path[3]) && !path[4].empty() &&
           only(path[4], false, "0123456789");
}

json value_at(const StartViolation& violation) {
    std::string pointer = "/" + violation.member;
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    return violation.request.at(json::json_pointer(pointer));
}

}  // namespace

TEST_SUITE("start_violations") {
    TEST_CASE("each request changes one member of the harmless request") {
        const json harmless = harmless_start_request();
        const std::vector<StartViolation> all = start_violations();
        CHECK(all.size() == 29);
        std::set<std::string> names;
        for (const StartViolation& violation : all) {
            CAPTURE(violation.name);
            CHECK(names.insert(violation.name).second);
            const json patch = json::diff(harmless, violation.request);
            REQUIRE(patch.size() == 1);
            std::string path = patch[0].at("path").get<std::string>().substr(1);
            std::replace(path.begin(), path.end(), '/', '.');
            CHECK(path == violation.member);
            CHECK(violation.request.dump().find("Rekognition_Mock_Conformance") !=
                  std::string::npos);
        }
        // No S3 bucket can be named so (upper case, '_'); the model admits it.
        const std::string bucket = harmless["Input"]["S3Object"]["Bucket"];
        CHECK(only(bucket, true, ".-_"));
        const bool s3_bucket_name =
            bucket.size() >= 3 && bucket.size() <= 63 && only(bucket, true, ".-", true);
        CHECK_FALSE(s3_bucket_name);
        CHECK(harmless["ClientRequestToken"] == "rekognition-mock-conformance-refused");
    }

    TEST_CASE("the required members, lengths, patterns, range and types of the model") {
        const std::vector<StartViolation> all = start_violations();
        for (const char* member : {"OperationsConfig", "Input", "OutputConfig", "Input.S3Object",
                                   "OutputConfig.S3Bucket"}) {
            const StartViolation& missing =
                named(all, "without " + std::string(member) + " (required)");
            CHECK(json::diff(harmless_start_request(), missing.request)[0]["op"] == "remove");
        }
        CHECK(value_at(named(all, "JobName of 65 characters (at most 64)")) ==
              std::string(65, 'a'));
        CHECK(value_at(named(all, "JobName outside its pattern")) == "conformance job");
        CHECK(value_at(named(all, "Input.S3Object.Bucket of 2 characters (at least 3)")) == "aa");
        CHECK(value_at(named(all, "Input.S3Object.Name of 0 characters (at least 1)")) == "");
        CHECK(value_at(named(all, "OutputConfig.S3KeyPrefix of 801 characters (at most 800)")) ==
              std::string(801, 'a'));
        CHECK(value_at(named(all, "KmsKeyId outside its pattern")) == "-conformance-key");
        CHECK(value_at(named(all,
                             "OperationsConfig.DetectModerationLabels.MinConfidence -1 (at "
                             "least 0)")) == -1);
        CHECK(value_at(named(all,
                             "OperationsConfig.DetectModerationLabels.MinConfidence 101 (at "
                             "most 100)")) == 101);
        CHECK(value_at(named(all, "OperationsConfig \"DetectModerationLabels\", not an object")) ==
              "DetectModerationLabels");

        // Too long, and nothing else: the ARN pattern still holds.
        const std::string arn = value_at(
            named(all,
                  "OperationsConfig.DetectModerationLabels.ProjectVersion of 2049 characters (at "
                  "most 2048)"));
        CHECK(arn.size() == 2049);
        CHECK(project_version_arn(arn));
        const std::string key = value_at(named(all, "KmsKeyId of 2049 characters (at most 2048)"));
        const bool key_pattern = !key.empty() && key.size() <= 2049 &&
                                 only(key.substr(0, 1), true, "") && only(key, true, ":_/+=,@.-");
        CHECK(key_pattern);
        // A minimum is broken only where a shorter value still matches the pattern.
        for (const StartViolation& violation : all) {
            CHECK_FALSE((violation.name.starts_with("JobName of 0") ||
                         violation.name.starts_with("KmsKeyId of 0") ||
                         violation.name.starts_with("ClientRequestToken of 0") ||
                         violation.name.find("ProjectVersion of 19") != std::string::npos));
        }
    }
}
