#include "snapshot_document.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "job_description_json.hpp"
#include "snapshot_job.hpp"
#include "test_jobs.hpp"

using nlohmann::json;
using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobStatus;
using rekmock::Scope;
using rekmock::protocol::encode_job_description;
using rekmock::snapshot::check_loads_back;
using rekmock::snapshot::snapshot_job;
using rekmock::snapshot::SnapshotDocument;
using rekmock::snapshot::write_snapshot_document;
using rekmock::testing::make_job;
using rekmock::testing::rich_jobs;

namespace {

// `jobs` in the scope a document names.
SnapshotDocument document_of(std::vector<MediaAnalysisJob> jobs, std::optional<std::string> account,
                             const std::string& region) {
    SnapshotDocument document{std::move(account), region, std::move(jobs)};
    for (MediaAnalysisJob& job : document.jobs) {
        job.scope = Scope{document.account_id.value_or("000000000000"), region};
    }
    return document;
}

// How GetMediaAnalysisJob answers for `job`.
json answer_for(const MediaAnalysisJob& job) {
    return json::parse(encode_job_description(job));
}

}  // namespace

TEST_SUITE("snapshot_document") {
    TEST_CASE("the document names its scope, then holds one job a line in list order") {
        const SnapshotDocument document = document_of(rich_jobs(), "111122223333", "eu-west-1");
        const std::string text = write_snapshot_document(document);
        CHECK(text.starts_with(
            R"({"AccountId":"111122223333","Region":"eu-west-1","MediaAnalysisJobs":[)"
            "\n  {\"JobId\":\"full-job\","));
        CHECK(text.ends_with("}\n]}\n"));
        const json parsed = json::parse(text);
        REQUIRE(parsed.at("MediaAnalysisJobs").size() == document.jobs.size());
        for (std::size_t i = 0; i < document.jobs.size(); ++i) {
            CHECK(parsed["MediaAnalysisJobs"][i] == answer_for(document.jobs[i]));
        }
        // One line per job, after the line that opens the array.
        CHECK(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) ==
              document.jobs.size() + 2);
        CHECK_NOTHROW(check_loads_back(text, document));
    }

    TEST_CASE("without an account the document names only its region, and no jobs is []") {
        const SnapshotDocument document = document_of({}, std::nullopt, "us-west-2");
        const std::string text = write_snapshot_document(document);
        CHECK(text == "{\"Region\":\"us-west-2\",\"MediaAnalysisJobs\":[]}\n");
        CHECK_NOTHROW(check_loads_back(text, document));
    }

    TEST_CASE("a text that reads back as other jobs or another scope is caught") {
        const SnapshotDocument document =
            document_of({make_job("a", 1700000000000), make_job("b", 1600000000000)},
                        "111122223333", "eu-west-1");
        const std::string text = write_snapshot_document(document);
        std::string other_job = text;
        other_job.replace(other_job.find("\"a\""), 3, "\"c\"");
        CHECK_THROWS_AS(check_loads_back(other_job, document), std::runtime_error);
        std::string other_region = text;
        other_region.replace(other_region.find("eu-west-1"), 9, "eu-west-2");
        CHECK_THROWS_AS(check_loads_back(other_region, document), std::runtime_error);
        CHECK_THROWS(check_loads_back("{\"MediaAnalysisJobs\": [", document));
    }
}

TEST_SUITE("snapshot_job") {
    TEST_CASE(
        "a Get answer becomes the job it describes, with nothing the mock answers otherwise") {
        for (const MediaAnalysisJob& job : rich_jobs()) {
            CAPTURE(job.job_id);
            const auto copied = snapshot_job(answer_for(job));
            CHECK(copied.job == job);
            CHECK(copied.differences.empty());
        }
        // Numbers compare as numbers: 1700000000 and 1700000000.0 are one timestamp.
        json whole = answer_for(make_job("w", 1700000000000));
        whole["CreationTimestamp"] = 1700000000;
        CHECK(snapshot_job(whole).differences.empty());
    }

    TEST_CASE("members the mock would answer otherwise are named by their JSON Pointer") {
        json answer = answer_for(rich_jobs().front());
        answer["CreationTimestamp"] = 1727784000.250375;  // beyond the millisecond
        answer["Results"]["Summary"] = "a member the model does not have";
        answer["NewTopLevel"] = {{"x", 1}};
        const auto copied = snapshot_job(answer);
        CHECK(copied.job.creation_timestamp == rekmock::testing::at_millis(1727784000250));
        CHECK(copied.differences ==
              std::vector<std::string>{"/CreationTimestamp", "/NewTopLevel", "/Results/Summary"});
    }

    TEST_CASE("a job the mock cannot hold is refused, naming the member") {
        json unknown_status = answer_for(make_job("s", 1700000000000));
        unknown_status["Status"] = "PAUSED";
        CHECK_THROWS_WITH_AS(snapshot_job(unknown_status), doctest::Contains("PAUSED"),
                             std::runtime_error);
        json no_input = answer_for(make_job("i", 1700000000000));
        no_input.erase("Input");
        CHECK_THROWS_WITH_AS(snapshot_job(no_input), doctest::Contains("Input"),
                             std::runtime_error);
        json bad_bucket = answer_for(make_job("b", 1700000000000));
        bad_bucket["OutputConfig"]["S3Bucket"] = "x";
        CHECK_THROWS_WITH_AS(snapshot_job(bad_bucket), doctest::Contains("S3Bucket"),
                             std::runtime_error);
        CHECK_THROWS_AS(snapshot_job(json::array()), std::runtime_error);
    }
}
