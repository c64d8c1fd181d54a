#include "start_fingerprint.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "test_jobs.hpp"

using rekmock::MediaAnalysisDetectModerationLabelsConfig;
using rekmock::MediaAnalysisJob;
using rekmock::service::start_fingerprint;

namespace {

// Every caller-chosen setting present and non-empty.
MediaAnalysisJob settings() {
    MediaAnalysisJob job;
    job.job_name = "name";
    job.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{50.0, rekmock::testing::kProjectVersionArn};
    job.input.s3_object = rekmock::S3Object{"in-bucket", "manifests/a.jsonl", "v1"};
    job.output_config = rekmock::MediaAnalysisOutputConfig{"out-bucket", "results/"};
    job.kms_key_id = "alias/key";
    return job;
}

using Change = std::function<void(MediaAnalysisJob&)>;

// One variant per single-member change of settings(), each named.
std::vector<std::pair<std::string, Change>> single_changes() {
    const auto detect = [](MediaAnalysisJob& j) -> MediaAnalysisDetectModerationLabelsConfig& {
        return *j.operations_config.detect_moderation_labels;
    };
    return {
        {"JobName other", [](MediaAnalysisJob& j) { j.job_name = "other"; }},
        {"JobName empty", [](MediaAnalysisJob& j) { j.job_name = ""; }},
        {"JobName absent", [](MediaAnalysisJob& j) { j.job_name.reset(); }},
        {"DetectModerationLabels absent",
         [](MediaAnalysisJob& j) { j.operations_config.detect_moderation_labels.reset(); }},
        {"DetectModerationLabels empty",
         [](MediaAnalysisJob& j) {
             j.operations_config.detect_moderation_labels =
                 MediaAnalysisDetectModerationLabelsConfig{};
         }},
        {"MinConfidence 50.5", [detect](MediaAnalysisJob& j) { detect(j).min_confidence = 50.5; }},
        {"MinConfidence absent",
         [detect](MediaAnalysisJob& j) { detect(j).min_confidence.reset(); }},
        {"MinConfidence 0", [detect](MediaAnalysisJob& j) { detect(j).min_confidence = 0.0; }},
        {"ProjectVersion other",
         [detect](MediaAnalysisJob& j) {
             detect(j).project_version = rekmock::testing::kProjectVersionArn + "1";
         }},
        {"ProjectVersion absent",
         [detect](MediaAnalysisJob& j) { detect(j).project_version.reset(); }},
        {"Bucket other", [](MediaAnalysisJob& j) { j.input.s3_object.bucket = "in-bucket2"; }},
        {"Bucket absent", [](MediaAnalysisJob& j) { j.input.s3_object.bucket.reset(); }},
        {"Name other", [](MediaAnalysisJob& j) { j.input.s3_object.name = "manifests/b.jsonl"; }},
        {"Name absent", [](MediaAnalysisJob& j) { j.input.s3_object.name.reset(); }},
        {"Version other", [](MediaAnalysisJob& j) { j.input.s3_object.version = "v2"; }},
        {"Version empty", [](MediaAnalysisJob& j) { j.input.s3_object.version = ""; }},
        {"Version absent", [](MediaAnalysisJob& j) { j.input.s3_object.version.reset(); }},
        {"S3Bucket other", [](MediaAnalysisJob& j) { j.output_config.s3_bucket = "out-2"; }},
        {"S3KeyPrefix other", [](MediaAnalysisJob& j) { j.output_config.s3_key_prefix = "r/"; }},
        {"S3KeyPrefix empty", [](MediaAnalysisJob& j) { j.output_config.s3_key_prefix = ""; }},
        {"S3KeyPrefix absent", [](MediaAnalysisJob& j) { j.output_config.s3_key_prefix.reset(); }},
        {"KmsKeyId other", [](MediaAnalysisJob& j) { j.kms_key_id = "alias/other"; }},
        {"KmsKeyId empty", [](MediaAnalysisJob& j) { j.kms_key_id = ""; }},
        {"KmsKeyId absent", [](MediaAnalysisJob& j) { j.kms_key_id.reset(); }},
    };
}

}  // namespace

TEST_SUITE("start_fingerprint") {
    TEST_CASE("equal settings give equal 32-byte fingerprints") {
        const auto a = start_fingerprint(settings());
        CHECK(a.size() == 32);
        CHECK(start_fingerprint(settings()) == a);
        CHECK(start_fingerprint(MediaAnalysisJob{}) == start_fingerprint(MediaAnalysisJob{}));
        CHECK(start_fingerprint(MediaAnalysisJob{}) != a);
    }

    TEST_CASE("members the service fills in do not change the fingerprint") {
        const auto expected = start_fingerprint(settings());
        MediaAnalysisJob job = settings();
        job.job_id = "0123456789abcdef";
        job.scope = rekmock::Scope{"111122223333", "eu-west-1"};
        job.schedule = rekmock::LifecycleSchedule{rekmock::testing::at_millis(5),
                                                  rekmock::testing::at_millis(6)};
        job.status = rekmock::MediaAnalysisJobStatus::Failed;
        job.creation_timestamp = rekmock::testing::at_millis(1'700'000'000'000);
        job.completion_timestamp = rekmock::testing::at_millis(1'700'000'001'000);
        job.failure_details = rekmock::MediaAnalysisJobFailureDetails{
            rekmock::MediaAnalysisJobFailureCode::Throttled, "m"};
        job.results = rekmock::MediaAnalysisResults{rekmock::S3Object{"b", "k", std::nullopt},
                                                    rekmock::MediaAnalysisModelVersions{"7.0"}};
        job.manifest_summary = rekmock::MediaAnalysisManifestSummary{rekmock::S3Object{}};
        CHECK(start_fingerprint(job) == expected);
    }

    TEST_CASE("any single changed setting changes the fingerprint") {
        const auto base = start_fingerprint(settings());
        // Keyed by the bytes as a string: GCC 12 -O2 misreports std::map<std::vector<unsigned
        // char>> comparisons (-Wstringop-overread).
        const auto key = [](const std::vector<unsigned char>& bytes) {
            return std::string(bytes.begin(), bytes.end());
        };
        std::map<std::string, std::string> seen{{key(base), "base"}};
        for (const auto& [name, change] : single_changes()) {
            CAPTURE(name);
            MediaAnalysisJob job = settings();
            change(job);
            const auto fingerprint = start_fingerprint(job);
            CHECK(fingerprint != base);
            const auto [it, inserted] = seen.emplace(key(fingerprint), name);
            CHECK_MESSAGE(inserted, "same fingerprint as " << it->second);
        }
    }

    TEST_CASE("absent and empty DetectModerationLabels differ with nothing else set") {
        MediaAnalysisJob absent;
        MediaAnalysisJob empty;
        empty.operations_config.detect_moderation_labels =
            MediaAnalysisDetectModerationLabelsConfig{};
        CHECK(start_fingerprint(absent) != start_fingerprint(empty));
    }

    TEST_CASE("MinConfidence 50 and 50.5 differ") {
        MediaAnalysisJob a;
        a.operations_config.detect_moderation_labels =
            MediaAnalysisDetectModerationLabelsConfig{50.0, std::nullopt};
        MediaAnalysisJob b = a;
        b.operations_config.detect_moderation_labels->min_confidence = 50.5;
        CHECK(start_fingerprint(a) != start_fingerprint(b));
    }

    TEST_CASE("text moved between adjacent members changes the fingerprint") {
        MediaAnalysisJob a;
        a.input.s3_object = rekmock::S3Object{"ab", "c", std::nullopt};
        MediaAnalysisJob b;
        b.input.s3_object = rekmock::S3Object{"a", "bc", std::nullopt};
        CHECK(start_fingerprint(a) != start_fingerprint(b));

        MediaAnalysisJob c;
        c.output_config = rekmock::MediaAnalysisOutputConfig{"out", "x"};
        MediaAnalysisJob d;
        d.output_config = rekmock::MediaAnalysisOutputConfig{"outx", ""};
        CHECK(start_fingerprint(c) != start_fingerprint(d));

        // A value moved from one optional member to the next one.
        MediaAnalysisJob e;
        e.input.s3_object = rekmock::S3Object{std::nullopt, "v", std::nullopt};
        MediaAnalysisJob f;
        f.input.s3_object = rekmock::S3Object{std::nullopt, std::nullopt, "v"};
        CHECK(start_fingerprint(e) != start_fingerprint(f));
    }
}
