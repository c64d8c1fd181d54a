#include "bulk_analysis_work.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "folder_object_store.hpp"
#include "service_error.hpp"
#include "test_jobs.hpp"
#include "thrown_kind.hpp"

using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobFailureCode;
using rekmock::bulk_analysis::BulkAnalysisConfig;
using rekmock::bulk_analysis::BulkAnalysisWork;
using rekmock::bulk_analysis::ImageCheck;
using rekmock::objects::FolderObjectStore;
using rekmock::service::ErrorKind;
using rekmock::service::ServiceError;
namespace fs = std::filesystem;

namespace {

const fs::path kImages = REKMOCK_TEST_IMAGES_DIR;

// A folder store with buckets "in" (the test images and `manifest`) and "out".
struct Lab {
    rekmock::testing::TempFolder root;
    FolderObjectStore store{root.path()};

    explicit Lab(const std::string& manifest) {
        fs::create_directory(root.path() / "in");
        fs::create_directory(root.path() / "out");
        for (const auto& image : fs::directory_iterator(kImages)) {
            fs::copy_file(image.path(), root.path() / "in" / image.path().filename());
        }
        std::ofstream(root.path() / "in/manifest.jsonl", std::ios::binary) << manifest;
    }
};

// A started job reading in/manifest.jsonl and writing to out/results/ as the lifecycle plans it.
MediaAnalysisJob job_for(std::string manifest = "manifest.jsonl", std::string output = "out") {
    MediaAnalysisJob job = rekmock::testing::make_job("job1", 1000);
    job.input.s3_object = rekmock::S3Object{"in", std::move(manifest), std::nullopt};
    job.output_config = rekmock::MediaAnalysisOutputConfig{std::move(output), "results"};
    job.results = rekmock::MediaAnalysisResults{
        rekmock::S3Object{job.output_config.s3_bucket, "results/job1-results.jsonl", std::nullopt},
        rekmock::MediaAnalysisModelVersions{"7.0"}};
    job.manifest_summary = rekmock::MediaAnalysisManifestSummary{rekmock::S3Object{
        job.output_config.s3_bucket, "results/job1-manifest-summary.json", std::nullopt}};
    return job;
}

ErrorKind start_error(BulkAnalysisWork& work, const MediaAnalysisJob& job) {
    return rekmock::testing::thrown_kind<ServiceError>([&] { work.check_manifest(job); });
}

}  // namespace

TEST_SUITE("bulk_analysis_work") {
    TEST_CASE("valid images get a results line each, in manifest order, duplicates included") {
        Lab lab(R"({"source-ref": "s3://in/ok-120x90.png"})"
                "\n"
                R"({"source-ref": "s3://in/small-40x40.png"})"
                "\n"
                "\n"
                R"({"source-ref": "s3://in/ok-100x100.jpg"})"
                "\n"
                R"({"source-ref": "s3://in/ok-120x90.png"})"
                "\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        const auto job = job_for();
        work.check_manifest(job);
        const auto outcome = work.perform(job);
        CHECK_FALSE(outcome.failure.has_value());
        const std::string line_tail =
            R"(","detect-moderation-labels":{"ModerationLabels":[],"ModerationModelVersion":"7.0",)"
            R"("ContentTypes":[]}})"
            "\n";
        CHECK(rekmock::testing::file_bytes(lab.root.path() / "out/results/job1-results.jsonl") ==
              R"({"source-ref":"s3://in/ok-120x90.png)" + line_tail +
                  R"({"source-ref":"s3://in/ok-100x100.jpg)" + line_tail +
                  R"({"source-ref":"s3://in/ok-120x90.png)" + line_tail);
        const std::string summary = rekmock::testing::file_bytes(
            lab.root.path() / "out/results/job1-manifest-summary.json");
        CHECK(summary.starts_with(
            R"({"version":"1.0","statistics":{"total-json-lines":5,"valid-json-lines":3,)"
            R"("invalid-json-lines":2},"errors":[{"line-numer":2,"source-ref":"s3://in/small-40x40.png",)"
            R"("code":"ERROR_INVALID_IMAGE_DIMENSION",)"));
        CHECK(summary.find(R"({"line-numer":3,"code":"ERROR_INVALID_JSON_LINE")") !=
              std::string::npos);
    }

    TEST_CASE("Start refuses a manifest that is missing, empty or over the limit") {
        Lab lab("");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{ImageCheck::Strict, 10});
        CHECK(start_error(work, job_for()) == ErrorKind::InvalidManifest);
        CHECK(start_error(work, job_for("absent.jsonl")) == ErrorKind::InvalidS3Object);
        std::ofstream(lab.root.path() / "in/big.jsonl") << std::string(11, 'x');
        CHECK(start_error(work, job_for("big.jsonl")) == ErrorKind::InvalidManifest);
        std::ofstream(lab.root.path() / "in/fits.jsonl") << std::string(10, 'x');
        work.check_manifest(job_for("fits.jsonl"));
    }

    TEST_CASE("no valid line fails the job INVALID_MANIFEST and writes nothing") {
        Lab lab("not json\n{\"source-ref\": \"s3://in/missing.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        const auto outcome = work.perform(job_for());
        REQUIRE(outcome.failure.has_value());
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InvalidManifest);
        CHECK(outcome.failure->message->find("line 1: ERROR_INVALID_JSON_LINE") !=
              std::string::npos);
        // No object: the folders a key names may be left, as S3 has no folders to leave.
        for (const auto& entry : fs::recursive_directory_iterator(lab.root.path() / "out")) {
            CHECK_MESSAGE(entry.is_directory(), entry.path().string());
        }
    }

    TEST_CASE("lenient checks accept images that do not exist") {
        Lab lab("{\"source-ref\": \"s3://in/missing.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{ImageCheck::Lenient});
        CHECK_FALSE(work.perform(job_for()).failure.has_value());
        CHECK(fs::exists(lab.root.path() / "out/results/job1-results.jsonl"));
    }

    TEST_CASE("an output bucket that does not exist fails the job INVALID_OUTPUT_CONFIG") {
        Lab lab("{\"source-ref\": \"s3://in/ok-120x90.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        const auto outcome = work.perform(job_for("manifest.jsonl", "no-such-bucket"));
        REQUIRE(outcome.failure.has_value());
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InvalidOutputConfig);
        CHECK(outcome.failure->message->find("s3://no-such-bucket/results/job1-results.jsonl") !=
              std::string::npos);
    }

    TEST_CASE("a manifest gone by completion fails the job INVALID_S3_OBJECT") {
        Lab lab("{\"source-ref\": \"s3://in/ok-120x90.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        fs::remove(lab.root.path() / "in/manifest.jsonl");
        const auto outcome = work.perform(job_for());
        REQUIRE(outcome.failure.has_value());
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InvalidS3Object);
    }
}
