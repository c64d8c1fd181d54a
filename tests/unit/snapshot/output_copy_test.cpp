#include "output_copy.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "folder_object_store.hpp"
#include "folder_object_versions.hpp"
#include "test_jobs.hpp"

using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobStatus;
using rekmock::MediaAnalysisManifestSummary;
using rekmock::MediaAnalysisResults;
using rekmock::S3Object;
using rekmock::objects::FolderObjectStore;
using rekmock::objects::kObjectVersionsFile;
using rekmock::objects::read_object_versions;
using rekmock::snapshot::copy_outputs;
using rekmock::testing::file_bytes;
using rekmock::testing::make_job;
using rekmock::testing::TempFolder;
namespace fs = std::filesystem;

namespace {

void put(const fs::path& root, const std::string& bucket, const std::string& key,
         const std::string& bytes) {
    fs::create_directories((root / bucket / key).parent_path());
    std::ofstream(root / bucket / key, std::ios::binary) << bytes;
}

MediaAnalysisJob job_on(const std::string& id, const std::string& manifest,
                        MediaAnalysisJobStatus status) {
    MediaAnalysisJob job = make_job(id, 1700000000000);
    job.status = status;
    job.input.s3_object = S3Object{"in", manifest, std::nullopt};
    job.results =
        MediaAnalysisResults{S3Object{"out", id + "/results.jsonl", std::nullopt}, std::nullopt};
    job.manifest_summary =
        MediaAnalysisManifestSummary{S3Object{"out", id + "/summary.json", std::nullopt}};
    return job;
}

}  // namespace

TEST_SUITE("output_copy") {
    TEST_CASE("inputs of every job, outputs of SUCCEEDED ones, each object once") {
        const TempFolder source_root;
        const TempFolder target;
        put(source_root.path(), "in", "m/a.jsonl", "manifest a");
        put(source_root.path(), "out", "ok/results.jsonl", std::string("r\0sults", 7));
        put(source_root.path(), "out", "ok/summary.json", "{}");
        put(source_root.path(), "out", "failed/results.jsonl", "not to be copied");
        FolderObjectStore source(source_root.path());
        const std::vector<MediaAnalysisJob> jobs{
            job_on("ok", "m/a.jsonl", MediaAnalysisJobStatus::Succeeded),
            job_on("failed", "m/a.jsonl", MediaAnalysisJobStatus::Failed),
            job_on("missing", "m/absent.jsonl", MediaAnalysisJobStatus::InProgress)};
        std::vector<std::string> said;
        const auto report = copy_outputs(jobs, source, target.path() / "made",
                                         [&](const std::string& line) { said.push_back(line); });
        CHECK(report.copied == 3);
        CHECK(report.bytes == 10 + 7 + 2);
        CHECK(said.size() == 3);
        CHECK(file_bytes(target.path() / "made/in/m/a.jsonl") == "manifest a");
        CHECK(file_bytes(target.path() / "made/out/ok/results.jsonl") ==
              std::string("r\0sults", 7));
        CHECK(file_bytes(target.path() / "made/out/ok/summary.json") == "{}");
        CHECK_FALSE(fs::exists(target.path() / "made/out/failed"));
        REQUIRE(report.not_copied.size() == 1);
        CHECK(report.not_copied[0].object == "s3://in/m/absent.jsonl");
        CHECK(report.not_copied[0].named_by == "job missing's input manifest");
        // No versions named, none recorded.
        CHECK_FALSE(fs::exists(target.path() / "made" / kObjectVersionsFile));
    }

    TEST_CASE("a version is asked of the source and recorded, and a second version is refused") {
        const TempFolder source_root;
        const TempFolder target;
        put(source_root.path(), "in", "m.jsonl", "version one");
        rekmock::objects::write_object_versions(source_root.path(), {{{"in", "m.jsonl"}, "v1"}});
        FolderObjectStore source(source_root.path());
        MediaAnalysisJob first = job_on("first", "m.jsonl", MediaAnalysisJobStatus::Queued);
        first.input.s3_object.version = "v1";
        MediaAnalysisJob second = job_on("second", "m.jsonl", MediaAnalysisJobStatus::Queued);
        second.input.s3_object.version = "v2";
        const auto report =
            copy_outputs({first, second}, source, target.path(), [](const std::string&) {});
        CHECK(report.copied == 1);
        CHECK(file_bytes(target.path() / "in/m.jsonl") == "version one");
        CHECK(read_object_versions(target.path()) ==
              rekmock::objects::ObjectVersions{{{"in", "m.jsonl"}, "v1"}});
        REQUIRE(report.not_copied.size() == 1);
        CHECK(report.not_copied[0].object == "s3://in/m.jsonl (version v2)");
        CHECK(report.not_copied[0].reason.find("holds version v1 of this key") !=
              std::string::npos);

        // Copied again without a version, the key's recorded version goes.
        first.input.s3_object.version.reset();
        CHECK(copy_outputs({first}, source, target.path(), [](const std::string&) {}).copied == 1);
        CHECK(read_object_versions(target.path()).empty());
    }
}
