#include "media_analysis_job.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

using rekmock::MediaAnalysisJobFailureCode;
using rekmock::MediaAnalysisJobStatus;

TEST_SUITE("media_analysis_job") {
    TEST_CASE("job status spellings follow the model in model order") {
        const std::vector<std::string_view> expected{"CREATED", "QUEUED", "IN_PROGRESS",
                                                     "SUCCEEDED", "FAILED"};
        CHECK(rekmock::all_job_status_names() == expected);
        CHECK(rekmock::to_string(MediaAnalysisJobStatus::InProgress) == "IN_PROGRESS");
        for (const auto name : expected) {
            INFO(std::string(name));
            const auto parsed = rekmock::parse_job_status(name);
            REQUIRE(parsed.has_value());
            CHECK(rekmock::to_string(*parsed) == name);
        }
        CHECK_FALSE(rekmock::parse_job_status("in_progress").has_value());
        CHECK_FALSE(rekmock::parse_job_status("").has_value());
        CHECK_FALSE(rekmock::parse_job_status("DONE").has_value());
    }

    TEST_CASE("failure code spellings follow the model in model order") {
        const std::vector<std::string_view> expected{
            "INTERNAL_ERROR",        "INVALID_S3_OBJECT",  "INVALID_MANIFEST",
            "INVALID_OUTPUT_CONFIG", "INVALID_KMS_KEY",    "ACCESS_DENIED",
            "RESOURCE_NOT_FOUND",    "RESOURCE_NOT_READY", "THROTTLED"};
        CHECK(rekmock::all_failure_code_names() == expected);
        CHECK(rekmock::to_string(MediaAnalysisJobFailureCode::InvalidKmsKey) == "INVALID_KMS_KEY");
        for (const auto name : expected) {
            INFO(std::string(name));
            const auto parsed = rekmock::parse_failure_code(name);
            REQUIRE(parsed.has_value());
            CHECK(rekmock::to_string(*parsed) == name);
        }
        CHECK_FALSE(rekmock::parse_failure_code("Throttled").has_value());
        CHECK_FALSE(rekmock::parse_failure_code("THROTTLED ").has_value());
    }

    TEST_CASE("a job starts in the default scope with no lifecycle schedule") {
        const rekmock::Scope scope;
        CHECK(scope.account == "000000000000");
        CHECK(scope.region == "us-east-1");
        CHECK(scope == rekmock::Scope{"000000000000", "us-east-1"});
        CHECK(scope != rekmock::Scope{"000000000000", "eu-west-1"});
        CHECK(scope != rekmock::Scope{"111122223333", "us-east-1"});

        const rekmock::MediaAnalysisJob job;
        CHECK(job.scope == scope);
        CHECK_FALSE(job.schedule.has_value());

        rekmock::MediaAnalysisJob other = job;
        other.scope.region = "eu-west-1";
        CHECK(other != job);
        other = job;
        other.schedule = rekmock::LifecycleSchedule{};
        CHECK(other != job);
        rekmock::MediaAnalysisJob later = other;
        later.schedule->in_progress_at += std::chrono::milliseconds(1);
        CHECK(later != other);
    }
}
