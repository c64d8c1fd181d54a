#pragma once

// Jobs and scratch files shared by the unit tests of every layer. Header-only, so each test
// executable links nothing beyond the layer it tests.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::testing {

inline Timestamp at_millis(std::int64_t millis) {
    return Timestamp(std::chrono::milliseconds(millis));
}

// A minimal valid job: the members the model requires, nothing optional.
inline MediaAnalysisJob make_job(const std::string& id, std::int64_t creation_millis) {
    MediaAnalysisJob job;
    job.job_id = id;
    job.creation_timestamp = at_millis(creation_millis);
    job.status = MediaAnalysisJobStatus::InProgress;
    job.input.s3_object = S3Object{"input-bucket", "manifests/" + id + ".jsonl", std::nullopt};
    job.output_config = MediaAnalysisOutputConfig{"output-bucket", std::nullopt};
    return job;
}

inline const std::string kProjectVersionArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/my-project/version/my-version/"
    "1700000000000";

// Jobs that between them set every optional member of the model to present-and-full,
// present-but-empty and absent.
inline std::vector<MediaAnalysisJob> rich_jobs() {
    std::vector<MediaAnalysisJob> jobs;

    MediaAnalysisJob full = make_job("full-job", 1727784000250);
    full.job_name = "everything.set_here-1";
    full.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{60.25, kProjectVersionArn};
    full.status = MediaAnalysisJobStatus::Succeeded;
    full.completion_timestamp = at_millis(1727784123456);
    full.input.s3_object = S3Object{"input-bucket", "manifests/a.jsonl", "v3.Lk_x"};
    full.output_config = MediaAnalysisOutputConfig{"output-bucket", "results/"};
    full.kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    full.results =
        MediaAnalysisResults{S3Object{"output-bucket", "results/full-job/results.jsonl", "rv1"},
                             MediaAnalysisModelVersions{"7.0"}};
    full.manifest_summary = MediaAnalysisManifestSummary{
        S3Object{"output-bucket", "results/full-job/manifest-summary.json", "mv1"}};
    jobs.push_back(full);

    // OperationsConfig {}: DetectModerationLabels absent. Nothing optional set at all.
    MediaAnalysisJob bare = make_job("bare-job", 1727784000250);
    bare.status = MediaAnalysisJobStatus::Created;
    bare.input.s3_object = S3Object{};
    jobs.push_back(bare);

    // DetectModerationLabels {}; FailureDetails with only Code; S3Object with only Bucket.
    MediaAnalysisJob failed = make_job("failed_only-code", 1700000000000);
    failed.operations_config.detect_moderation_labels = MediaAnalysisDetectModerationLabelsConfig{};
    failed.status = MediaAnalysisJobStatus::Failed;
    failed.failure_details =
        MediaAnalysisJobFailureDetails{MediaAnalysisJobFailureCode::Throttled, std::nullopt};
    failed.completion_timestamp = at_millis(1700000001000);
    failed.input.s3_object = S3Object{"only-bucket", std::nullopt, std::nullopt};
    failed.output_config.s3_key_prefix = "";
    jobs.push_back(failed);

    // Results with only ModelVersions; FailureDetails with only Message; MinConfidence 0.
    MediaAnalysisJob models = make_job("models-only", 1600000000001);
    models.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{0.0, std::nullopt};
    models.status = MediaAnalysisJobStatus::Failed;
    models.failure_details = MediaAnalysisJobFailureDetails{std::nullopt, "only a message"};
    models.results = MediaAnalysisResults{std::nullopt, MediaAnalysisModelVersions{"7.0"}};
    models.kms_key_id = "alias/my-key";
    jobs.push_back(models);

    // Empty structs: FailureDetails {}, Results {}, ManifestSummary {}, ModelVersions {},
    // S3Objects {} below Results and ManifestSummary; ProjectVersion without MinConfidence.
    MediaAnalysisJob empties = make_job("empty-structs", 1500000000999);
    empties.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{std::nullopt, kProjectVersionArn};
    empties.status = MediaAnalysisJobStatus::Queued;
    empties.failure_details = MediaAnalysisJobFailureDetails{};
    empties.results = MediaAnalysisResults{S3Object{}, MediaAnalysisModelVersions{}};
    empties.manifest_summary = MediaAnalysisManifestSummary{S3Object{}};
    jobs.push_back(empties);

    // Results {} and ManifestSummary {} without S3Object; MinConfidence 100; a UTF-8 name.
    MediaAnalysisJob hollow = make_job("hollow", 1400000000000);
    hollow.operations_config.detect_moderation_labels =
        MediaAnalysisDetectModerationLabelsConfig{100.0, std::nullopt};
    hollow.status = MediaAnalysisJobStatus::Succeeded;
    hollow.results = MediaAnalysisResults{};
    hollow.manifest_summary = MediaAnalysisManifestSummary{};
    hollow.input.s3_object =
        S3Object{"input-bucket", "vid\xc3\xa9os/\xe2\x82\xac/clip.mp4", std::nullopt};
    jobs.push_back(hollow);

    return jobs;
}

// A unique path in the temp directory; removes the file and its SQLite companions on scope exit.
class TempPath {
  public:
    explicit TempPath(const std::string& suffix) {
        static std::atomic<unsigned> counter{0};
        std::random_device device;
        path_ = (std::filesystem::temp_directory_path() /
                 ("rekmock-unit-" + std::to_string(device()) + "-" +
                  std::to_string(counter.fetch_add(1)) + suffix))
                    .string();
    }
    ~TempPath() {
        std::error_code ignored;
        for (const char* extra : {"", "-wal", "-shm", "-journal"}) {
            std::filesystem::remove(path_ + extra, ignored);
        }
    }
    TempPath(const TempPath&) = delete;
    TempPath& operator=(const TempPath&) = delete;

    const std::string& str() const noexcept { return path_; }

  private:
    std::string path_;
};

// The bytes of the file at `path` (empty if it cannot be read).
inline std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A new empty folder under the system's temporary folder, removed with all it holds.
class TempFolder {
  public:
    TempFolder() : path_(TempPath("-dir").str()) { std::filesystem::create_directory(path_); }
    ~TempFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace rekmock::testing
