#include "model_validation.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test_jobs.hpp"

using rekmock::MediaAnalysisDetectModerationLabelsConfig;
using rekmock::MediaAnalysisJob;
using rekmock::S3Object;
using rekmock::service::check_range;
using rekmock::service::describe;
using rekmock::service::validate_job_description;
using rekmock::service::Violation;
using rekmock::testing::make_job;

namespace {

const std::string kLengthAtLeast = "Member must have length greater than or equal to ";
const std::string kLengthAtMost = "Member must have length less than or equal to ";
const std::string kPattern = "Member must satisfy regular expression pattern: ";

MediaAnalysisJob valid_job() {
    return make_job("valid-job_1", 1727784000250);
}

// The single violation of `job`; fails the test if there is not exactly one.
Violation only_violation(const MediaAnalysisJob& job) {
    const auto violations = validate_job_description(job);
    REQUIRE(violations.size() == 1);
    return violations.front();
}

void check_valid(const MediaAnalysisJob& job) {
    const auto violations = validate_job_description(job);
    CHECK_MESSAGE(violations.empty(), (violations.empty() ? "" : describe(violations)));
}

void check_rule(const MediaAnalysisJob& job, const std::string& member, const std::string& rule) {
    const Violation v = only_violation(job);
    CHECK(v.member == member);
    CHECK(v.rule == rule);
}

std::string repeat(std::string_view unit, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) {
        out.append(unit);
    }
    return out;
}

MediaAnalysisJob with_project_version(const std::string& arn) {
    MediaAnalysisJob job = valid_job();
    job.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{std::nullopt, arn};
    return job;
}

MediaAnalysisJob with_min_confidence(double value) {
    MediaAnalysisJob job = valid_job();
    job.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{value, std::nullopt};
    return job;
}

// The violations validate_job_settings finds in `job` (JobId is not a setting).
std::vector<Violation> settings_violations(const MediaAnalysisJob& job,
                                           const std::string& prefix = {}) {
    std::vector<Violation> out;
    rekmock::service::validate_job_settings(out, job, prefix);
    return out;
}

// A start request's settings with every member set to a valid value.
MediaAnalysisJob start_settings() {
    MediaAnalysisJob job;
    job.job_name = "job";
    job.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{50.0, rekmock::testing::kProjectVersionArn};
    job.input.s3_object = S3Object{"in-bucket", "manifests/a.jsonl", "v1"};
    job.output_config = rekmock::MediaAnalysisOutputConfig{"out-bucket", "results/"};
    job.kms_key_id = "alias/key";
    return job;
}

struct SettingCase {
    std::string label;
    std::function<void(MediaAnalysisJob&)> change;
    std::string member;  // "" when the change is valid
};

std::vector<Violation> token_violations(std::string_view token, bool job_id) {
    std::vector<Violation> out;
    if (job_id) {
        rekmock::service::check_job_id(out, "JobId", token);
    } else {
        rekmock::service::check_client_request_token(out, "ClientRequestToken", token);
    }
    return out;
}

}  // namespace

TEST_SUITE("model_validation") {
    TEST_CASE("valid jobs have no violations") {
        check_valid(valid_job());
        for (const auto& job : rekmock::testing::rich_jobs()) {
            CAPTURE(job.job_id);
            check_valid(job);
        }
    }

    TEST_CASE("message format for one and for several violations") {
        CHECK(describe(Violation{"MaxResults", "101",
                                 "Member must have value less than or equal to 100"}) ==
              "Value '101' at 'MaxResults' failed to satisfy constraint: Member must have value "
              "less than or equal to 100");

        MediaAnalysisJob job = valid_job();
        job.job_id = "bad id";
        CHECK(describe(validate_job_description(job)) ==
              "1 validation error detected: Value 'bad id' at 'JobId' failed to satisfy "
              "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-_]+$");

        job.output_config.s3_bucket = "ab";
        CHECK(describe(validate_job_description(job)) ==
              "2 validation errors detected: Value 'bad id' at 'JobId' failed to satisfy "
              "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-_]+$; "
              "Value 'ab' at 'OutputConfig.S3Bucket' failed to satisfy constraint: Member must "
              "have length greater than or equal to 3");
    }

    TEST_CASE("member paths carry the prefix") {
        MediaAnalysisJob job = valid_job();
        job.input.s3_object.bucket = "x";
        const auto violations = validate_job_description(job, "MediaAnalysisJobs[3].");
        REQUIRE(violations.size() == 1);
        CHECK(violations.front().member == "MediaAnalysisJobs[3].Input.S3Object.Bucket");
    }

    TEST_CASE("long values are shortened in messages") {
        MediaAnalysisJob job = valid_job();
        job.job_id = std::string(200, 'a');
        const Violation v = only_violation(job);
        CHECK(v.value.size() < 100);
        CHECK(v.value.starts_with(std::string(80, 'a')));
        CHECK(v.rule == kLengthAtMost + "64");
    }

    TEST_CASE("JobId length and pattern") {
        MediaAnalysisJob job = valid_job();
        SUBCASE("1 and 64 characters are valid") {
            job.job_id = "a";
            check_valid(job);
            job.job_id = std::string(64, 'F');
            check_valid(job);
            job.job_id = "Az09-_";
            check_valid(job);
        }
        SUBCASE("empty") {
            job.job_id = "";
            check_rule(job, "JobId", kLengthAtLeast + "1");
        }
        SUBCASE("65 characters") {
            job.job_id = std::string(65, 'a');
            check_rule(job, "JobId", kLengthAtMost + "64");
        }
        SUBCASE("characters outside the pattern") {
            for (const char* id : {"a.b", "a b", "a/b", "a:b", "caf\xc3\xa9"}) {
                INFO(std::string(id));
                job.job_id = id;
                check_rule(job, "JobId", kPattern + "^[a-zA-Z0-9-_]+$");
            }
        }
    }

    TEST_CASE("JobName length and pattern") {
        MediaAnalysisJob job = valid_job();
        SUBCASE("valid names") {
            for (const std::string& name :
                 {std::string("A"), std::string(64, 'n'), std::string("a.b_c-D9")}) {
                job.job_name = name;
                check_valid(job);
            }
        }
        SUBCASE("empty") {
            job.job_name = "";
            check_rule(job, "JobName", kLengthAtLeast + "1");
        }
        SUBCASE("65 characters") {
            job.job_name = std::string(65, 'n');
            check_rule(job, "JobName", kLengthAtMost + "64");
        }
        SUBCASE("characters outside the pattern") {
            job.job_name = "my job";
            check_rule(job, "JobName", kPattern + "[a-zA-Z0-9_.\\-]+");
            job.job_name = "a/b";
            check_rule(job, "JobName", kPattern + "[a-zA-Z0-9_.\\-]+");
        }
    }

    TEST_CASE("MinConfidence range") {
        const std::string member = "OperationsConfig.DetectModerationLabels.MinConfidence";
        for (const double ok : {0.0, 0.5, 50.0, 99.9, 100.0}) {
            CAPTURE(ok);
            check_valid(with_min_confidence(ok));
        }
        SUBCASE("below 0") {
            const Violation v = only_violation(with_min_confidence(-0.5));
            CHECK(v.member == member);
            CHECK(v.value == "-0.5");
            CHECK(v.rule == "Member must have value greater than or equal to 0");
        }
        SUBCASE("above 100") {
            const Violation v = only_violation(with_min_confidence(100.5));
            CHECK(v.member == member);
            CHECK(v.value == "100.5");
            CHECK(v.rule == "Member must have value less than or equal to 100");
        }
        SUBCASE("not finite") {
            CHECK(only_violation(with_min_confidence(std::nan(""))).member == member);
            CHECK(only_violation(with_min_confidence(std::numeric_limits<double>::infinity()))
                      .member == member);
        }
    }

    TEST_CASE("ProjectVersion ARN") {
        const std::string member = "OperationsConfig.DetectModerationLabels.ProjectVersion";
        const std::string pattern_rule =
            kPattern +
            "(^arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project\\/[a-zA-Z0-9_.\\-]{1,255}"
            "\\/version\\/[a-zA-Z0-9_.\\-]{1,255}\\/[0-9]+$)";
        SUBCASE("valid ARNs") {
            for (const std::string& arn :
                 {rekmock::testing::kProjectVersionArn,
                  std::string("arn:aws-cn:rekognition:cn-north-1:000000000000:project/p/version/"
                              "v.1_x-y/0"),
                  "arn:aws:rekognition:us-east-1:111122223333:project/" + std::string(255, 'p') +
                      "/version/" + std::string(255, 'v') + "/1"}) {
                INFO(std::string(arn));
                check_valid(with_project_version(arn));
            }
        }
        SUBCASE("invalid ARNs") {
            const std::string ok_tail = ":project/p/version/v/1";
            for (const std::string& arn : {
                     "arn:aws:rekognition:us-east-1:11112222333" + ok_tail,    // 11 digits
                     "arn:aws:rekognition:us-east-1:1111222233334" + ok_tail,  // 13 digits
                     "arn:aws:s3:us-east-1:111122223333" + ok_tail,            // service
                     "arn:AWS:rekognition:us-east-1:111122223333" + ok_tail,   // upper case
                     "arn::rekognition:us-east-1:111122223333" + ok_tail,      // no partition
                     "arn:aws:rekognition::111122223333" + ok_tail,            // no region
                     "xrn:aws:rekognition:us-east-1:111122223333" + ok_tail,
                     std::string("arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/"),
                     std::string(
                         "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1a"),
                     std::string("arn:aws:rekognition:us-east-1:111122223333:project//version/v/1"),
                     std::string("arn:aws:rekognition:us-east-1:111122223333:project/p/version//1"),
                     std::string("arn:aws:rekognition:us-east-1:111122223333:project/p/v/1"),
                     std::string(
                         "arn:aws:rekognition:us-east-1:111122223333:project/p q/version/v/1"),
                     "arn:aws:rekognition:us-east-1:111122223333:project/" + std::string(256, 'p') +
                         "/version/v/1",
                     "arn:aws:rekognition:us-east-1:111122223333:project/p/version/" +
                         std::string(256, 'v') + "/1",
                     std::string(
                         "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1 "),
                 }) {
                INFO(std::string(arn));
                check_rule(with_project_version(arn), member, pattern_rule);
            }
        }
        SUBCASE("length bounds 20..2048") {
            check_rule(with_project_version("arn:aws:rekognition"), member, kLengthAtLeast + "20");
            check_rule(with_project_version("arn:aws:rekognition:us-east-1:111122223333:project/" +
                                            std::string(2000, 'p') + "/version/v/1"),
                       member, kLengthAtMost + "2048");
        }
    }

    TEST_CASE("S3 bucket length and pattern") {
        SUBCASE("input, results and manifest buckets") {
            MediaAnalysisJob job = valid_job();
            job.input.s3_object.bucket = "ab";
            check_rule(job, "Input.S3Object.Bucket", kLengthAtLeast + "3");
            job.input.s3_object.bucket = std::string(256, 'b');
            check_rule(job, "Input.S3Object.Bucket", kLengthAtMost + "255");
            job.input.s3_object.bucket = "bad bucket";
            check_rule(job, "Input.S3Object.Bucket", kPattern + "[0-9A-Za-z\\.\\-_]*");
            job.input.s3_object.bucket = std::string(255, 'b');
            check_valid(job);
            job.input.s3_object.bucket = "a.B-_9";
            check_valid(job);

            job.results = rekmock::MediaAnalysisResults{S3Object{"r/s", std::nullopt, std::nullopt},
                                                        std::nullopt};
            check_rule(job, "Results.S3Object.Bucket", kPattern + "[0-9A-Za-z\\.\\-_]*");
            job.results.reset();
            job.manifest_summary =
                rekmock::MediaAnalysisManifestSummary{S3Object{"m", std::nullopt, std::nullopt}};
            check_rule(job, "ManifestSummary.S3Object.Bucket", kLengthAtLeast + "3");
        }
        SUBCASE("output bucket") {
            MediaAnalysisJob job = valid_job();
            job.output_config.s3_bucket = "";
            check_rule(job, "OutputConfig.S3Bucket", kLengthAtLeast + "3");
            job.output_config.s3_bucket = "out*put";
            check_rule(job, "OutputConfig.S3Bucket", kPattern + "[0-9A-Za-z\\.\\-_]*");
        }
    }

    TEST_CASE("S3 object name and version length count UTF-8 code points") {
        MediaAnalysisJob job = valid_job();
        const std::string e_acute = "\xc3\xa9";
        SUBCASE("1 and 1024 code points are valid") {
            job.input.s3_object.name = "x";
            check_valid(job);
            job.input.s3_object.name = repeat(e_acute, 1024);  // 2048 bytes
            check_valid(job);
            job.input.s3_object.name = repeat("\xe2\x82\xac", 1024);  // 3072 bytes
            check_valid(job);
            job.input.s3_object.name = "any chars / at all: *?\t";
            check_valid(job);
        }
        SUBCASE("empty name") {
            job.input.s3_object.name = "";
            check_rule(job, "Input.S3Object.Name", kLengthAtLeast + "1");
        }
        SUBCASE("1025 code points") {
            job.input.s3_object.name = repeat(e_acute, 1025);
            check_rule(job, "Input.S3Object.Name", kLengthAtMost + "1024");
            job.input.s3_object.name = std::string(1025, 'n');
            check_rule(job, "Input.S3Object.Name", kLengthAtMost + "1024");
        }
        SUBCASE("version") {
            job.input.s3_object.version = "";
            check_rule(job, "Input.S3Object.Version", kLengthAtLeast + "1");
            job.input.s3_object.version = std::string(1025, 'v');
            check_rule(job, "Input.S3Object.Version", kLengthAtMost + "1024");
            job.input.s3_object.version = std::string(1024, 'v');
            check_valid(job);
        }
        SUBCASE("results and manifest objects") {
            job.results = rekmock::MediaAnalysisResults{S3Object{std::nullopt, "", std::nullopt},
                                                        std::nullopt};
            check_rule(job, "Results.S3Object.Name", kLengthAtLeast + "1");
            job.results.reset();
            job.manifest_summary = rekmock::MediaAnalysisManifestSummary{
                S3Object{std::nullopt, std::nullopt, std::string(1025, 'v')}};
            check_rule(job, "ManifestSummary.S3Object.Version", kLengthAtMost + "1024");
        }
    }

    TEST_CASE("KmsKeyId pattern and length") {
        MediaAnalysisJob job = valid_job();
        const std::string rule = kPattern + "^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$";
        SUBCASE("valid ids") {
            for (const std::string& id :
                 {std::string("1234abcd-12ab-34cd-56ef-1234567890ab"), std::string("alias/my-key"),
                  std::string("arn:aws:kms:us-east-1:111122223333:key/abc"), std::string("k"),
                  std::string("a:_/+=,@.-"), std::string(2048, 'k')}) {
                CAPTURE(id);
                job.kms_key_id = id;
                check_valid(job);
            }
        }
        SUBCASE("invalid ids") {
            for (const char* id : {"/alias", "-key", "key with space", "key#1", "k\xc3\xa9y"}) {
                INFO(std::string(id));
                job.kms_key_id = id;
                check_rule(job, "KmsKeyId", rule);
            }
            job.kms_key_id = "";
            check_rule(job, "KmsKeyId", kLengthAtLeast + "1");
            job.kms_key_id = std::string(2049, 'k');
            check_rule(job, "KmsKeyId", kLengthAtMost + "2048");
        }
    }

    TEST_CASE("S3KeyPrefix whitespace and length") {
        MediaAnalysisJob job = valid_job();
        SUBCASE("valid prefixes") {
            for (const std::string& prefix :
                 {std::string(""), std::string("results/"), std::string(800, 'p'),
                  std::string("caf\xc3\xa9/*?")}) {
                job.output_config.s3_key_prefix = prefix;
                check_valid(job);
            }
        }
        SUBCASE("whitespace") {
            for (const char* prefix : {"a b", "tab\t", "\nnewline", "cr\r", "ff\f", "vt\v"}) {
                INFO(std::string(prefix));
                job.output_config.s3_key_prefix = prefix;
                check_rule(job, "OutputConfig.S3KeyPrefix", kPattern + "\\S*");
            }
        }
        SUBCASE("801 characters") {
            job.output_config.s3_key_prefix = std::string(801, 'p');
            check_rule(job, "OutputConfig.S3KeyPrefix", kLengthAtMost + "800");
        }
    }

    TEST_CASE("check_range reports values outside an inclusive range") {
        std::vector<Violation> out;
        check_range(out, "MaxResults", 1, 1, 100);
        check_range(out, "MaxResults", 100, 1, 100);
        CHECK(out.empty());
        check_range(out, "MaxResults", 0, 1, 100);
        check_range(out, "MaxResults", 101, 1, 100);
        REQUIRE(out.size() == 2);
        CHECK(describe(out.front()) ==
              "Value '0' at 'MaxResults' failed to satisfy constraint: Member must have value "
              "greater than or equal to 1");
        CHECK(describe(out.back()) ==
              "Value '101' at 'MaxResults' failed to satisfy constraint: Member must have value "
              "less than or equal to 100");
    }

    TEST_CASE("every violation of a job is reported in member order") {
        MediaAnalysisJob job = valid_job();
        job.job_id = "";
        job.job_name = "bad name";
        job.operations_config.detect_moderation_labels =
            MediaAnalysisDetectModerationLabelsConfig{101.0, "nope"};
        job.input.s3_object = S3Object{"b", "", ""};
        job.output_config = rekmock::MediaAnalysisOutputConfig{"o", "has space"};
        job.kms_key_id = "#";
        const auto violations = validate_job_description(job);
        std::vector<std::string> members;
        for (const auto& v : violations) {
            members.push_back(v.member);
        }
        CHECK(members ==
              std::vector<std::string>{
                  "JobId", "JobName", "OperationsConfig.DetectModerationLabels.MinConfidence",
                  "OperationsConfig.DetectModerationLabels.ProjectVersion", "Input.S3Object.Bucket",
                  "Input.S3Object.Name", "Input.S3Object.Version", "OutputConfig.S3Bucket",
                  "OutputConfig.S3KeyPrefix", "KmsKeyId"});
        CHECK(describe(violations).starts_with("10 validation errors detected: "));
    }

    TEST_CASE("check_job_id and check_client_request_token: 1..64 of [a-zA-Z0-9-_]") {
        for (const bool job_id : {true, false}) {
            const std::string member = job_id ? "JobId" : "ClientRequestToken";
            CAPTURE(member);
            for (const std::string& good :
                 {std::string("a"), std::string(64, 'x'), std::string("Az09-_"), std::string("-"),
                  std::string("_leading")}) {
                CAPTURE(good);
                CHECK(token_violations(good, job_id).empty());
            }
            const std::vector<std::pair<std::string, std::string>> bad{
                {"", kLengthAtLeast + "1"},
                {std::string(65, 'x'), kLengthAtMost + "64"},
                {"a b", kPattern + "^[a-zA-Z0-9-_]+$"},
                {"a.b", kPattern + "^[a-zA-Z0-9-_]+$"},
                {"tok/1", kPattern + "^[a-zA-Z0-9-_]+$"},
                {"caf\xc3\xa9", kPattern + "^[a-zA-Z0-9-_]+$"},
                {"x\n", kPattern + "^[a-zA-Z0-9-_]+$"}};
            for (const auto& [value, rule] : bad) {
                CAPTURE(value);
                const auto violations = token_violations(value, job_id);
                REQUIRE(violations.size() == 1);
                CHECK(violations.front().member == member);
                CHECK(violations.front().rule == rule);
                CHECK(describe(violations.front()).find("at '" + member + "'") !=
                      std::string::npos);
            }
        }
    }

    TEST_CASE("validate_job_settings accepts and refuses each setting at its boundaries") {
        REQUIRE(settings_violations(start_settings()).empty());
        const std::string e_acute = "\xc3\xa9";
        const std::string moderation = "OperationsConfig.DetectModerationLabels.";
        const std::string arn_start = "arn:aws:rekognition:us-east-1:111122223333:project/p/";
        const std::vector<SettingCase> cases{
            {"JobName 1", [](MediaAnalysisJob& j) { j.job_name = "a"; }, ""},
            {"JobName 64", [](MediaAnalysisJob& j) { j.job_name = std::string(64, 'n'); }, ""},
            {"JobName 65", [](MediaAnalysisJob& j) { j.job_name = std::string(65, 'n'); },
             "JobName"},
            {"JobName empty", [](MediaAnalysisJob& j) { j.job_name = ""; }, "JobName"},
            {"JobName space", [](MediaAnalysisJob& j) { j.job_name = "a b"; }, "JobName"},
            {"KmsKeyId 2048", [](MediaAnalysisJob& j) { j.kms_key_id = std::string(2048, 'k'); },
             ""},
            {"KmsKeyId 2049", [](MediaAnalysisJob& j) { j.kms_key_id = std::string(2049, 'k'); },
             "KmsKeyId"},
            {"KmsKeyId leading dash", [](MediaAnalysisJob& j) { j.kms_key_id = "-key"; },
             "KmsKeyId"},
            {"MinConfidence 0",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->min_confidence = 0.0;
             },
             ""},
            {"MinConfidence 100",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->min_confidence = 100.0;
             },
             ""},
            {"MinConfidence -0.001",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->min_confidence = -0.001;
             },
             moderation + "MinConfidence"},
            {"MinConfidence 100.001",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->min_confidence = 100.001;
             },
             moderation + "MinConfidence"},
            {"DetectModerationLabels empty",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels =
                     MediaAnalysisDetectModerationLabelsConfig{};
             },
             ""},
            {"ProjectVersion valid",
             [arn_start](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version =
                     arn_start + "version/v.1_x-y/1";
             },
             ""},
            {"ProjectVersion other service",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version =
                     "arn:aws:s3:us-east-1:111122223333:project/p/version/v/1";
             },
             moderation + "ProjectVersion"},
            {"ProjectVersion 11-digit account",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version =
                     "arn:aws:rekognition:us-east-1:11112222333:project/p/version/v/1";
             },
             moderation + "ProjectVersion"},
            {"ProjectVersion no timestamp",
             [arn_start](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version =
                     arn_start + "version/v/";
             },
             moderation + "ProjectVersion"},
            {"ProjectVersion letters in timestamp",
             [arn_start](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version =
                     arn_start + "version/v/12a";
             },
             moderation + "ProjectVersion"},
            {"ProjectVersion missing version segment",
             [arn_start](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version = arn_start + "1";
             },
             moderation + "ProjectVersion"},
            {"ProjectVersion uppercase region",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version =
                     "arn:aws:rekognition:US-EAST-1:111122223333:project/p/version/v/1";
             },
             moderation + "ProjectVersion"},
            {"ProjectVersion too short",
             [](MediaAnalysisJob& j) {
                 j.operations_config.detect_moderation_labels->project_version = "arn:";
             },
             moderation + "ProjectVersion"},
            {"Bucket 3", [](MediaAnalysisJob& j) { j.input.s3_object.bucket = "abc"; }, ""},
            {"Bucket 255",
             [](MediaAnalysisJob& j) { j.input.s3_object.bucket = std::string(255, 'b'); }, ""},
            {"Bucket 2", [](MediaAnalysisJob& j) { j.input.s3_object.bucket = "ab"; },
             "Input.S3Object.Bucket"},
            {"Bucket 256",
             [](MediaAnalysisJob& j) { j.input.s3_object.bucket = std::string(256, 'b'); },
             "Input.S3Object.Bucket"},
            {"Bucket slash", [](MediaAnalysisJob& j) { j.input.s3_object.bucket = "in/bucket"; },
             "Input.S3Object.Bucket"},
            {"S3Bucket 3", [](MediaAnalysisJob& j) { j.output_config.s3_bucket = "abc"; }, ""},
            {"S3Bucket 255",
             [](MediaAnalysisJob& j) { j.output_config.s3_bucket = std::string(255, 'b'); }, ""},
            {"S3Bucket 2", [](MediaAnalysisJob& j) { j.output_config.s3_bucket = "ab"; },
             "OutputConfig.S3Bucket"},
            {"S3Bucket 256",
             [](MediaAnalysisJob& j) { j.output_config.s3_bucket = std::string(256, 'b'); },
             "OutputConfig.S3Bucket"},
            {"S3Bucket slash", [](MediaAnalysisJob& j) { j.output_config.s3_bucket = "o/b"; },
             "OutputConfig.S3Bucket"},
            {"S3Bucket empty", [](MediaAnalysisJob& j) { j.output_config.s3_bucket = ""; },
             "OutputConfig.S3Bucket"},
            {"Name 1", [](MediaAnalysisJob& j) { j.input.s3_object.name = "n"; }, ""},
            {"Name 1024",
             [](MediaAnalysisJob& j) { j.input.s3_object.name = std::string(1024, 'n'); }, ""},
            {"Name 1024 e-acute",
             [e_acute](MediaAnalysisJob& j) { j.input.s3_object.name = repeat(e_acute, 1024); },
             ""},
            {"Name 1025",
             [](MediaAnalysisJob& j) { j.input.s3_object.name = std::string(1025, 'n'); },
             "Input.S3Object.Name"},
            {"Name 1025 e-acute",
             [e_acute](MediaAnalysisJob& j) { j.input.s3_object.name = repeat(e_acute, 1025); },
             "Input.S3Object.Name"},
            {"Name empty", [](MediaAnalysisJob& j) { j.input.s3_object.name = ""; },
             "Input.S3Object.Name"},
            {"Version 1", [](MediaAnalysisJob& j) { j.input.s3_object.version = "v"; }, ""},
            {"Version 1024",
             [](MediaAnalysisJob& j) { j.input.s3_object.version = std::string(1024, 'v'); }, ""},
            {"Version empty", [](MediaAnalysisJob& j) { j.input.s3_object.version = ""; },
             "Input.S3Object.Version"},
            {"Version 1025",
             [](MediaAnalysisJob& j) { j.input.s3_object.version = std::string(1025, 'v'); },
             "Input.S3Object.Version"},
            {"S3KeyPrefix empty", [](MediaAnalysisJob& j) { j.output_config.s3_key_prefix = ""; },
             ""},
            {"S3KeyPrefix 800",
             [](MediaAnalysisJob& j) { j.output_config.s3_key_prefix = std::string(800, 'p'); },
             ""},
            {"S3KeyPrefix 801",
             [](MediaAnalysisJob& j) { j.output_config.s3_key_prefix = std::string(801, 'p'); },
             "OutputConfig.S3KeyPrefix"},
            {"S3KeyPrefix space",
             [](MediaAnalysisJob& j) { j.output_config.s3_key_prefix = "a b"; },
             "OutputConfig.S3KeyPrefix"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.label);
            MediaAnalysisJob job = start_settings();
            c.change(job);
            const auto violations = settings_violations(job);
            if (c.member.empty()) {
                CHECK_MESSAGE(violations.empty(), (violations.empty() ? "" : describe(violations)));
                continue;
            }
            REQUIRE(violations.size() == 1);
            CHECK(violations.front().member == c.member);
            const std::string message = describe(violations);
            CHECK(message.starts_with("1 validation error detected: Value '"));
            CHECK(message.find("' at '" + c.member +
                               "' failed to satisfy constraint: Member must ") !=
                  std::string::npos);
            // The same break under a prefix names the prefixed path.
            const auto prefixed = settings_violations(job, "Start.");
            REQUIRE(prefixed.size() == 1);
            CHECK(prefixed.front().member == "Start." + c.member);
        }
    }

    TEST_CASE("validate_job_settings ignores JobId and appends to what is already there") {
        MediaAnalysisJob job = start_settings();
        job.job_id = "";  // not a setting: the service assigns it
        std::vector<Violation> out{Violation{"ClientRequestToken", "a b", "rule"}};
        rekmock::service::validate_job_settings(out, job);
        REQUIRE(out.size() == 1);
        job.job_name = "a b";
        job.kms_key_id = "-k";
        rekmock::service::validate_job_settings(out, job);
        REQUIRE(out.size() == 3);
        CHECK(out[0].member == "ClientRequestToken");
        CHECK(out[1].member == "JobName");
        CHECK(out[2].member == "KmsKeyId");
    }
}
