#include "failure_triggers.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "test_jobs.hpp"

using rekmock::MediaAnalysisJobFailureCode;
using rekmock::service::failure_message;
using rekmock::service::failure_trigger;
using rekmock::service::triggered_failure;

namespace {

const std::vector<std::pair<MediaAnalysisJobFailureCode, std::string>>& all_triggers() {
    static const std::vector<std::pair<MediaAnalysisJobFailureCode, std::string>> triggers{
        {MediaAnalysisJobFailureCode::InternalError, "fail-internal-error"},
        {MediaAnalysisJobFailureCode::InvalidS3Object, "fail-invalid-s3-object"},
        {MediaAnalysisJobFailureCode::InvalidManifest, "fail-invalid-manifest"},
        {MediaAnalysisJobFailureCode::InvalidOutputConfig, "fail-invalid-output-config"},
        {MediaAnalysisJobFailureCode::InvalidKmsKey, "fail-invalid-kms-key"},
        {MediaAnalysisJobFailureCode::AccessDenied, "fail-access-denied"},
        {MediaAnalysisJobFailureCode::ResourceNotFound, "fail-resource-not-found"},
        {MediaAnalysisJobFailureCode::ResourceNotReady, "fail-resource-not-ready"},
        {MediaAnalysisJobFailureCode::Throttled, "fail-throttled"},
    };
    return triggers;
}

}  // namespace

TEST_SUITE("failure_triggers") {
    TEST_CASE("failure_trigger spells each code in lower case with dashes") {
        REQUIRE(all_triggers().size() == rekmock::all_failure_code_names().size());
        for (const auto& [code, trigger] : all_triggers()) {
            CAPTURE(trigger);
            CHECK(failure_trigger(code) == trigger);
        }
    }

    TEST_CASE("each of the nine codes is triggered anywhere in the object name") {
        for (const auto& [code, trigger] : all_triggers()) {
            CAPTURE(trigger);
            for (const std::string& name :
                 {trigger, trigger + ".jsonl", "manifests/" + trigger + ".jsonl",
                  "a/b/c-" + trigger, "prefix" + trigger + "suffix", "x/" + trigger}) {
                CAPTURE(name);
                CHECK(triggered_failure(name) == code);
            }
        }
    }

    TEST_CASE("names without a trigger fail nothing") {
        for (const char* name :
             {"", "manifests/a.jsonl", "fail-", "fail", "fail-unknown", "fail-invalid",
              "fail_throttled", "FAIL-THROTTLED", "fail-Throttled", "fail-invalid_manifest",
              "fail -throttled", "failthrottled", "fail-internal", "fail-resource-not"}) {
            INFO(std::string(name));
            CHECK_FALSE(triggered_failure(name).has_value());
        }
    }

    TEST_CASE("the earliest trigger in the name wins") {
        CHECK(triggered_failure("fail-throttled/fail-access-denied") ==
              MediaAnalysisJobFailureCode::Throttled);
        CHECK(triggered_failure("fail-access-denied/fail-throttled") ==
              MediaAnalysisJobFailureCode::AccessDenied);
        CHECK(triggered_failure("x-fail-resource-not-ready-fail-internal-error") ==
              MediaAnalysisJobFailureCode::ResourceNotReady);
        CHECK(triggered_failure("fail-invalid-kms-key.fail-invalid-s3-object") ==
              MediaAnalysisJobFailureCode::InvalidKmsKey);
        // Every ordered pair of distinct triggers.
        for (const auto& [first_code, first] : all_triggers()) {
            for (const auto& [second_code, second] : all_triggers()) {
                CAPTURE(first);
                CAPTURE(second);
                CHECK(triggered_failure("m/" + first + "/" + second) == first_code);
            }
        }
    }

    TEST_CASE("failure_message is non-empty for every code") {
        rekmock::MediaAnalysisJob job = rekmock::testing::make_job("job-1", 1000);
        job.kms_key_id = "alias/k";
        job.output_config.s3_key_prefix = "out/";
        std::set<std::string> messages;
        for (const auto& [code, trigger] : all_triggers()) {
            CAPTURE(trigger);
            const std::string message = failure_message(code, job);
            CHECK_FALSE(message.empty());
            messages.insert(message);
        }
        CHECK(messages.size() == all_triggers().size());
        // Also for a job with nothing optional set.
        rekmock::MediaAnalysisJob bare;
        for (const auto& [code, trigger] : all_triggers()) {
            CAPTURE(trigger);
            CHECK_FALSE(failure_message(code, bare).empty());
        }
    }
}
