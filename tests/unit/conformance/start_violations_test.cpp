// The Start requests of the read-only scenario: each the harmless request with exactly one member
// changed, breaking exactly the constraint its name says.

#include "start_violations.hpp"

#include <doctest/doctest.h>

#include <regex>
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
        CHECK(std::regex_match(bucket, std::regex("[0-9A-Za-z\\.\\-_]*")));
        CHECK_FALSE(std::regex_match(bucket, std::regex("[a-z0-9.-]{3,63}")));
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
        CHECK(std::regex_match(arn, std::regex("arn:[a-z0-9-]+:rekognition:[a-z0-9-]+:[0-9]{12}:"
                                               "project/[a-zA-Z0-9_.-]{1,255}/version/"
                                               "[a-zA-Z0-9_.-]{1,255}/[0-9]+")));
        const std::string key = value_at(named(all, "KmsKeyId of 2049 characters (at most 2048)"));
        CHECK(std::regex_match(key, std::regex("[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}")));
        // A minimum is broken only where a shorter value still matches the pattern.
        for (const StartViolation& violation : all) {
            CHECK_FALSE((violation.name.starts_with("JobName of 0") ||
                         violation.name.starts_with("KmsKeyId of 0") ||
                         violation.name.starts_with("ClientRequestToken of 0") ||
                         violation.name.find("ProjectVersion of 19") != std::string::npos));
        }
    }
}
