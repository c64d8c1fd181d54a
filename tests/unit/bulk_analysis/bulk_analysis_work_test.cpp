#include "bulk_analysis_work.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "folder_object_store.hpp"
#include "moderation_rules_json.hpp"
#include "s3_object_store.hpp"
#include "scripted_http_server.hpp"
#include "service_error.hpp"
#include "store_object_viewer.hpp"
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
    return rekmock::testing::thrown_kind<ServiceError>([&] { work.admit(job); });
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
        work.admit(job);
        const auto outcome = work.perform(job, std::nullopt);
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

    TEST_CASE("each image's result is scripted by the rules the job started with") {
        Lab lab(R"({"source-ref": "s3://in/ok-120x90.png"})"
                "\n"
                R"({"source-ref": "s3://in/ok-100x100.jpg"})"
                "\n"
                R"({"source-ref": "s3://in/gone/rkm-error-ERROR_SCRIPTED.png"})"
                "\n"
                R"({"source-ref": "s3://in/progressive-160x120.jpg"})"
                "\n");
        fs::copy_file(lab.root.path() / "in/ok-100x100.jpg",
                      lab.root.path() / "in/rkm-label-smoking-40_rkm-content-illustrated-61.jpg");
        rekmock::moderation::RuleBook book;
        book.set(rekmock::Scope{}, rekmock::moderation::parse_rules_document(
                                       R"({"ModerationRules": [
                         {"SourceRef": "s3://in/ok-120x90.png", "JobName": "other-*",
                          "Labels": [{"Name": "Gambling", "Confidence": 99}]},
                         {"SourceRef": "s3://in/ok-120x90.png",
                          "Labels": [{"Name": "Weapons", "Confidence": 93}],
                          "ContentTypes": [{"Name": "Animated", "Confidence": 88.5}]},
                         {"SourceRefGlob": "s3://in/ok-*.jpg",
                          "Error": {"Code": "ERROR_RULED", "Message": "by rule"}}]})",
                                       rekmock::moderation::ModerationTaxonomy::aws_v7())
                                       .rules);
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{}, &book);
        auto job = job_for();
        job.job_name = "nightly";
        job.operations_config.detect_moderation_labels =
            rekmock::MediaAnalysisDetectModerationLabelsConfig{30.0, "arn:adapter"};
        const auto frozen = work.admit(job);
        REQUIRE(frozen);
        book.set(rekmock::Scope{}, {});  // later changes do not reach a started job
        CHECK_FALSE(work.admit(job).has_value());
        const auto outcome = work.perform(job, frozen);
        REQUIRE_FALSE(outcome.failure.has_value());
        CHECK(rekmock::testing::file_bytes(lab.root.path() / "out/results/job1-results.jsonl") ==
              R"({"source-ref":"s3://in/ok-120x90.png","detect-moderation-labels":{)"
              R"("ModerationLabels":[{"Confidence":93.0,"Name":"Weapons","ParentName":"Violence",)"
              R"("TaxonomyLevel":2},{"Confidence":93.0,"Name":"Violence","ParentName":"",)"
              R"("TaxonomyLevel":1}],"ModerationModelVersion":"7.0","ProjectVersion":)"
              R"("arn:adapter","ContentTypes":[{"Confidence":88.5,"Name":"Animated"}]}})"
              "\n"
              R"({"source-ref":"s3://in/progressive-160x120.jpg","detect-moderation-labels":{)"
              R"("ModerationLabels":[],"ModerationModelVersion":"7.0","ProjectVersion":)"
              R"("arn:adapter","ContentTypes":[]}})"
              "\n");
        const std::string summary = rekmock::testing::file_bytes(
            lab.root.path() / "out/results/job1-manifest-summary.json");
        CHECK(summary ==
              R"({"version":"1.0","statistics":{"total-json-lines":4,"valid-json-lines":2,)"
              R"("invalid-json-lines":2},"errors":[{"line-numer":2,"source-ref":)"
              R"("s3://in/ok-100x100.jpg","code":"ERROR_RULED","message":"by rule"},)"
              R"({"line-numer":3,"source-ref":"s3://in/gone/rkm-error-ERROR_SCRIPTED.png",)"
              R"("code":"ERROR_SCRIPTED","message":"Scripted by the source-ref's )"
              R"(rkm-error-ERROR_SCRIPTED token."}]})");

        SUBCASE("with no rules, the name convention scripts the image, filtered by MinConfidence") {
            Lab named(
                R"({"source-ref": "s3://in/rkm-label-smoking-40_rkm-content-illustrated-61.jpg"})"
                "\n");
            fs::copy_file(
                lab.root.path() / "in/rkm-label-smoking-40_rkm-content-illustrated-61.jpg",
                named.root.path() / "in/rkm-label-smoking-40_rkm-content-illustrated-61.jpg");
            BulkAnalysisWork plain(named.store, BulkAnalysisConfig{});
            auto strict = job_for();  // MinConfidence 50 by default: Smoking at 40 is dropped
            CHECK_FALSE(plain.admit(strict).has_value());
            REQUIRE_FALSE(plain.perform(strict, std::nullopt).failure.has_value());
            CHECK(rekmock::testing::file_bytes(named.root.path() / "out/results/job1-results.jsonl")
                      .find(R"("ModerationLabels":[],"ModerationModelVersion":"7.0",)"
                            R"("ContentTypes":[{"Confidence":61.0,"Name":"Illustrated"}])") !=
                  std::string::npos);
        }
    }

    TEST_CASE("frozen rules that no longer load fail the job INTERNAL_ERROR, naming why") {
        Lab lab("{\"source-ref\": \"s3://in/ok-120x90.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        const auto outcome = work.perform(
            job_for(), R"([{"Labels": [{"Name": "Retired Label", "Confidence": 9}]}])");
        REQUIRE(outcome.failure.has_value());
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InternalError);
        CHECK(outcome.failure->message->starts_with(
            "The job's moderation rules no longer load: ModerationRules[0].Labels[0].Name"));
    }

    TEST_CASE("Start refuses a manifest that is missing, empty or over the limit") {
        Lab lab("");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{ImageCheck::Strict, 10});
        CHECK(start_error(work, job_for()) == ErrorKind::InvalidManifest);
        CHECK(start_error(work, job_for("absent.jsonl")) == ErrorKind::InvalidS3Object);
        std::ofstream(lab.root.path() / "in/big.jsonl") << std::string(11, 'x');
        CHECK(start_error(work, job_for("big.jsonl")) == ErrorKind::InvalidManifest);
        std::ofstream(lab.root.path() / "in/fits.jsonl") << std::string(10, 'x');
        work.admit(job_for("fits.jsonl"));
    }

    TEST_CASE("no valid line fails the job INVALID_MANIFEST and writes nothing") {
        Lab lab("not json\n{\"source-ref\": \"s3://in/missing.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        const auto outcome = work.perform(job_for(), std::nullopt);
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
        CHECK_FALSE(work.perform(job_for(), std::nullopt).failure.has_value());
        CHECK(fs::exists(lab.root.path() / "out/results/job1-results.jsonl"));
    }

    TEST_CASE("an output bucket that does not exist fails the job INVALID_OUTPUT_CONFIG") {
        Lab lab("{\"source-ref\": \"s3://in/ok-120x90.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        const auto outcome =
            work.perform(job_for("manifest.jsonl", "no-such-bucket"), std::nullopt);
        REQUIRE(outcome.failure.has_value());
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InvalidOutputConfig);
        CHECK(outcome.failure->message->find("s3://no-such-bucket/results/job1-results.jsonl") !=
              std::string::npos);
    }

    TEST_CASE("symbolic links out of the folder: a line error, a refused Start, a failed job") {
        Lab lab(
            "{\"source-ref\": \"s3://in/ok-120x90.png\"}\n"
            "{\"source-ref\": \"s3://in/linked.png\"}\n");
        const rekmock::testing::TempFolder outside;
        fs::copy_file(kImages / "ok-120x90.png", outside.path() / "outside.png");
        std::ofstream(outside.path() / "manifest.jsonl")
            << "{\"source-ref\": \"s3://in/ok-120x90.png\"}\n";
        fs::create_symlink(outside.path() / "outside.png", lab.root.path() / "in/linked.png");
        fs::create_symlink(outside.path() / "manifest.jsonl", lab.root.path() / "in/linked.jsonl");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        REQUIRE_FALSE(work.perform(job_for(), std::nullopt).failure.has_value());
        const std::string summary = rekmock::testing::file_bytes(
            lab.root.path() / "out/results/job1-manifest-summary.json");
        CHECK(summary.find(R"({"line-numer":2,"source-ref":"s3://in/linked.png",)"
                           R"("code":"ERROR_IMAGE_UNREADABLE","message":"the folder store )"
                           R"(cannot hold s3://in/linked.png: )") != std::string::npos);

        CHECK(start_error(work, job_for("linked.jsonl")) == ErrorKind::InvalidS3Object);

        fs::remove_all(lab.root.path() / "out/results");
        fs::create_symlink(outside.path(), lab.root.path() / "out/results");
        const auto outcome = work.perform(job_for(), std::nullopt);
        REQUIRE(outcome.failure.has_value());
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InvalidOutputConfig);
        CHECK(outcome.failure->message->find("symbolic link") != std::string::npos);
        CHECK(std::distance(fs::directory_iterator(outside.path()), fs::directory_iterator()) == 2);
    }

    TEST_CASE("outputs an S3 server did not store (100 Continue, then 500) fail the job") {
        const std::string manifest = "{\"source-ref\": \"s3://media-in/ok-120x90.png\"}\n";
        std::ifstream file(kImages / "ok-120x90.png", std::ios::binary);
        const std::string image((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
        using rekmock::testing::http_answer;
        using rekmock::testing::ScriptedAnswer;
        // Reads succeed; every write gets an interim answer, then the final one: a failure.
        const rekmock::testing::ScriptedHttpServer server(
            [&](const rekmock::testing::ScriptedRequest& request) {
                if (request.method == "GET" && request.target == "/media-in/manifest.jsonl") {
                    return ScriptedAnswer{http_answer(200, manifest)};
                }
                if (request.method == "GET" && request.target == "/media-in/ok-120x90.png") {
                    return ScriptedAnswer{http_answer(200, image)};
                }
                return ScriptedAnswer{
                    "HTTP/1.1 100 Continue\r\n\r\n" +
                    http_answer(500, "<Error><Code>InternalError</Code></Error>")};
            });
        rekmock::objects::S3Config config;
        config.endpoint = server.endpoint();
        config.access_key_id = "AKIAEXAMPLEKEY";
        config.secret_access_key = "example-secret";
        config.max_attempts = 1;
        rekmock::objects::S3ObjectStore store(config);
        BulkAnalysisWork work(store, BulkAnalysisConfig{});
        // Bucket names an S3 server can hold: "in" and "out" are too short.
        MediaAnalysisJob job = job_for("manifest.jsonl", "media-out");
        job.input.s3_object.bucket = "media-in";
        const auto outcome = work.perform(job, std::nullopt);
        REQUIRE(outcome.failure.has_value());
        INFO(outcome.failure->message.value_or(""));
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InvalidOutputConfig);
        CHECK(outcome.failure->message->find("s3://media-out/results/job1-results.jsonl") !=
              std::string::npos);
    }

    TEST_CASE("a manifest gone by completion fails the job INVALID_S3_OBJECT") {
        Lab lab("{\"source-ref\": \"s3://in/ok-120x90.png\"}\n");
        BulkAnalysisWork work(lab.store, BulkAnalysisConfig{});
        fs::remove(lab.root.path() / "in/manifest.jsonl");
        const auto outcome = work.perform(job_for(), std::nullopt);
        REQUIRE(outcome.failure.has_value());
        CHECK(outcome.failure->code == MediaAnalysisJobFailureCode::InvalidS3Object);
    }

    TEST_CASE("outputs and images open as streams that hand out every byte, peeked ones too") {
        Lab lab("");
        rekmock::bulk_analysis::StoreObjectViewer viewer(lab.store);
        const auto whole = [](rekmock::service::ByteStream& stream) {
            std::string bytes;
            char chunk[5];
            while (const std::size_t got = stream.read(chunk, sizeof chunk)) {
                bytes.append(chunk, got);
            }
            return bytes;
        };
        const auto file = [](const fs::path& path) {
            std::ifstream in(path, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        const auto output = viewer.open_output(rekmock::S3Object{"in", "manifest.jsonl", {}});
        CHECK(output->size() == 0);
        CHECK(whole(*output).empty());

        for (const char* name : {"ok-120x90.png", "ok-100x100.jpg"}) {
            auto image = viewer.open_image(rekmock::S3Object{"in", name, {}});
            CHECK(image.content_type ==
                  (std::string(name).ends_with(".png") ? "image/png" : "image/jpeg"));
            CHECK(image.bytes->size() == fs::file_size(kImages / name));
            CHECK(whole(*image.bytes) == file(kImages / name));
        }
        // Judged by content, whatever the name says.
        CHECK_THROWS_WITH_AS(viewer.open_image(rekmock::S3Object{"in", "manifest.jsonl", {}}),
                             doctest::Contains("not a JPEG or PNG"), std::runtime_error);
    }
}
