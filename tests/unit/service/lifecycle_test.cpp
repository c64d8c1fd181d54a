#include "lifecycle.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "failure_triggers.hpp"
#include "test_jobs.hpp"

using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobFailureCode;
using rekmock::MediaAnalysisJobStatus;
using rekmock::Timestamp;
using rekmock::service::counts_polls;
using rekmock::service::job_at;
using rekmock::service::kNever;
using rekmock::service::LifecycleDurations;
using rekmock::service::pace_by_polls;
using rekmock::service::plan_lifecycle;
using rekmock::service::poll_job;
using rekmock::service::steer_job;
using rekmock::testing::at_millis;
using std::chrono::milliseconds;

namespace {

constexpr std::int64_t kCreated = 1'700'000'000'000;

// A just-started job as the service hands it to plan_lifecycle.
MediaAnalysisJob fresh_job(const std::string& id = "0123abcd") {
    MediaAnalysisJob job;
    job.job_id = id;
    job.job_name = "my-job";
    job.operations_config.detect_moderation_labels =
        rekmock::MediaAnalysisDetectModerationLabelsConfig{50.0, std::nullopt};
    job.input.s3_object = rekmock::S3Object{"in-bucket", "manifests/a.jsonl", std::nullopt};
    job.output_config = rekmock::MediaAnalysisOutputConfig{"out-bucket", "results/"};
    return job;
}

MediaAnalysisJob planned(MediaAnalysisJob job, const LifecycleDurations& durations) {
    plan_lifecycle(job, at_millis(kCreated), durations);
    return job;
}

const LifecycleDurations kDurations{milliseconds(1000), milliseconds(2000), milliseconds(3000)};

// What every non-terminal view must hide.
void check_hidden(const MediaAnalysisJob& shown) {
    CHECK_FALSE(shown.completion_timestamp.has_value());
    CHECK_FALSE(shown.failure_details.has_value());
    CHECK_FALSE(shown.results.has_value());
    CHECK_FALSE(shown.manifest_summary.has_value());
}

// The job a steer started from, by name, with the instant the steer happens at.
struct SteerSource {
    const char* name;
    MediaAnalysisJob stored;
    Timestamp now;
};

const rekmock::MediaAnalysisJob& rich_job(const std::string& id) {
    static const std::vector<MediaAnalysisJob> jobs = rekmock::testing::rich_jobs();
    for (const auto& job : jobs) {
        if (job.job_id == id) {
            return job;
        }
    }
    FAIL("no rich job " << id);
    return jobs.front();
}

// A started job that is IN_PROGRESS at the returned instant, one that is a SUCCEEDED fixture
// (no schedule) and one that is a FAILED fixture.
std::vector<SteerSource> steer_sources() {
    return {
        {"started and running", planned(fresh_job(), kDurations), at_millis(kCreated + 3500)},
        {"succeeded fixture", rich_job("full-job"), at_millis(1'800'000'000'000)},
        {"failed fixture", rich_job("failed_only-code"), at_millis(1'800'000'000'000)},
    };
}

// The members a steer never touches.
void check_caller_members_kept(const MediaAnalysisJob& steered, const MediaAnalysisJob& stored) {
    CHECK(steered.scope == stored.scope);
    CHECK(steered.job_id == stored.job_id);
    CHECK(steered.job_name == stored.job_name);
    CHECK(steered.operations_config == stored.operations_config);
    CHECK(steered.creation_timestamp == stored.creation_timestamp);
    CHECK(steered.input == stored.input);
    CHECK(steered.output_config == stored.output_config);
    CHECK(steered.kms_key_id == stored.kms_key_id);
}

}  // namespace

TEST_SUITE("lifecycle") {
    TEST_CASE("plan_lifecycle schedules each state and a SUCCEEDED outcome under OutputConfig") {
        const MediaAnalysisJob job = planned(fresh_job(), kDurations);
        CHECK(job.creation_timestamp == at_millis(kCreated));
        REQUIRE(job.schedule.has_value());
        CHECK(job.schedule->queued_at == at_millis(kCreated + 1000));
        CHECK(job.schedule->in_progress_at == at_millis(kCreated + 3000));
        CHECK(job.completion_timestamp == at_millis(kCreated + 6000));
        CHECK(job.status == MediaAnalysisJobStatus::Succeeded);
        CHECK_FALSE(job.failure_details.has_value());
        REQUIRE(job.results.has_value());
        CHECK(job.results->s3_object ==
              rekmock::S3Object{"out-bucket", "results/0123abcd-results.jsonl", std::nullopt});
        REQUIRE(job.results->model_versions.has_value());
        CHECK(job.results->model_versions->moderation == "7.0");
        REQUIRE(job.manifest_summary.has_value());
        CHECK(job.manifest_summary->s3_object ==
              rekmock::S3Object{"out-bucket", "results/0123abcd-manifest-summary.json",
                                std::nullopt});
        // The caller's settings are untouched.
        const MediaAnalysisJob original = fresh_job();
        CHECK(job.job_id == original.job_id);
        CHECK(job.job_name == original.job_name);
        CHECK(job.operations_config == original.operations_config);
        CHECK(job.input == original.input);
        CHECK(job.output_config == original.output_config);
        CHECK(job.scope == original.scope);
    }

    TEST_CASE("output keys are named as AWS names them, whatever the prefix") {
        // AWS's example: prefix "output-location" gives "output-location/<JobId>-results.jsonl".
        for (const auto& [prefix, expected] : std::vector<std::pair<std::string, std::string>>{
                 {"output-location", "output-location/job-x-results.jsonl"},
                 {"output-location/", "output-location/job-x-results.jsonl"},
                 {"a/b", "a/b/job-x-results.jsonl"},
                 {"/", "/job-x-results.jsonl"}}) {
            CAPTURE(prefix);
            MediaAnalysisJob job = fresh_job("job-x");
            job.output_config.s3_key_prefix = prefix;
            job = planned(job, kDurations);
            CHECK(job.results->s3_object->name == expected);
            CHECK(job.manifest_summary->s3_object->name ==
                  expected.substr(0, expected.size() - 14) + "-manifest-summary.json");
        }
    }

    TEST_CASE("output keys without a prefix, or with an empty one, start at the JobId") {
        MediaAnalysisJob job = fresh_job("job-x");
        SUBCASE("absent prefix") {
            job.output_config.s3_key_prefix.reset();
        }
        SUBCASE("empty prefix") {
            job.output_config.s3_key_prefix = "";
        }
        job = planned(job, kDurations);
        REQUIRE(job.results.has_value());
        REQUIRE(job.results->s3_object.has_value());
        CHECK(job.results->s3_object->name == "job-x-results.jsonl");
        CHECK(job.results->s3_object->bucket == "out-bucket");
        REQUIRE(job.manifest_summary.has_value());
        REQUIRE(job.manifest_summary->s3_object.has_value());
        CHECK(job.manifest_summary->s3_object->name == "job-x-manifest-summary.json");
    }

    TEST_CASE("job_at shows each state from its boundary instant on") {
        const MediaAnalysisJob stored = planned(fresh_job(), kDurations);
        struct Instant {
            std::int64_t offset;
            MediaAnalysisJobStatus status;
        };
        const std::vector<Instant> instants{
            {-1, MediaAnalysisJobStatus::Created},  // a clock that stepped back
            {0, MediaAnalysisJobStatus::Created},
            {999, MediaAnalysisJobStatus::Created},
            {1000, MediaAnalysisJobStatus::Queued},
            {2999, MediaAnalysisJobStatus::Queued},
            {3000, MediaAnalysisJobStatus::InProgress},
            {5999, MediaAnalysisJobStatus::InProgress},
            {6000, MediaAnalysisJobStatus::Succeeded},
            {6001, MediaAnalysisJobStatus::Succeeded},
            {100'000'000, MediaAnalysisJobStatus::Succeeded},
        };
        for (const auto& [offset, status] : instants) {
            CAPTURE(offset);
            const MediaAnalysisJob shown = job_at(stored, at_millis(kCreated + offset));
            CHECK(shown.status == status);
            if (status == MediaAnalysisJobStatus::Succeeded) {
                CHECK(shown == stored);
            } else {
                check_hidden(shown);
                // Everything else is as stored.
                MediaAnalysisJob expected = stored;
                expected.status = status;
                expected.completion_timestamp.reset();
                expected.results.reset();
                expected.manifest_summary.reset();
                CHECK(shown == expected);
            }
        }
    }

    TEST_CASE("a triggered failure is FAILED at completion and hidden before it") {
        MediaAnalysisJob job = fresh_job();
        job.input.s3_object.name = "manifests/fail-invalid-manifest.jsonl";
        const MediaAnalysisJob stored = planned(job, kDurations);
        CHECK(stored.status == MediaAnalysisJobStatus::Failed);
        REQUIRE(stored.failure_details.has_value());
        CHECK(stored.failure_details->code == MediaAnalysisJobFailureCode::InvalidManifest);
        REQUIRE(stored.failure_details->message.has_value());
        CHECK(*stored.failure_details->message ==
              rekmock::service::failure_message(MediaAnalysisJobFailureCode::InvalidManifest,
                                                stored));
        CHECK_FALSE(stored.results.has_value());
        CHECK_FALSE(stored.manifest_summary.has_value());
        CHECK(stored.completion_timestamp == at_millis(kCreated + 6000));

        const MediaAnalysisJob running = job_at(stored, at_millis(kCreated + 5999));
        CHECK(running.status == MediaAnalysisJobStatus::InProgress);
        check_hidden(running);
        CHECK(job_at(stored, at_millis(kCreated + 6000)) == stored);
    }

    TEST_CASE("zero durations make a job terminal at its creation") {
        SUBCASE("succeeded") {
            const MediaAnalysisJob stored = planned(fresh_job(), LifecycleDurations{});
            CHECK(stored.completion_timestamp == at_millis(kCreated));
            REQUIRE(stored.schedule.has_value());
            CHECK(stored.schedule->queued_at == at_millis(kCreated));
            CHECK(stored.schedule->in_progress_at == at_millis(kCreated));
            CHECK(job_at(stored, at_millis(kCreated)) == stored);
            CHECK(job_at(stored, at_millis(kCreated)).status == MediaAnalysisJobStatus::Succeeded);
        }
        SUBCASE("failed") {
            MediaAnalysisJob job = fresh_job();
            job.input.s3_object.name = "fail-throttled";
            const MediaAnalysisJob stored = planned(job, LifecycleDurations{});
            const MediaAnalysisJob shown = job_at(stored, at_millis(kCreated));
            CHECK(shown.status == MediaAnalysisJobStatus::Failed);
            REQUIRE(shown.failure_details.has_value());
            CHECK(shown.failure_details->code == MediaAnalysisJobFailureCode::Throttled);
        }
        SUBCASE("only the in-progress time") {
            const MediaAnalysisJob stored = planned(
                fresh_job(), LifecycleDurations{milliseconds(0), milliseconds(0), milliseconds(5)});
            CHECK(job_at(stored, at_millis(kCreated)).status == MediaAnalysisJobStatus::InProgress);
            CHECK(job_at(stored, at_millis(kCreated + 5)).status ==
                  MediaAnalysisJobStatus::Succeeded);
        }
        SUBCASE("only the created time") {
            const MediaAnalysisJob stored = planned(
                fresh_job(), LifecycleDurations{milliseconds(5), milliseconds(0), milliseconds(0)});
            CHECK(job_at(stored, at_millis(kCreated + 4)).status ==
                  MediaAnalysisJobStatus::Created);
            CHECK(job_at(stored, at_millis(kCreated + 5)).status ==
                  MediaAnalysisJobStatus::Succeeded);
        }
    }

    TEST_CASE("loaded jobs (no schedule) are shown as stored at any instant") {
        for (const auto& job : rekmock::testing::rich_jobs()) {
            CAPTURE(job.job_id);
            REQUIRE_FALSE(job.schedule.has_value());
            for (const std::int64_t now :
                 {std::int64_t{0}, std::int64_t{1'500'000'000'000}, std::int64_t{1'727'784'000'250},
                  std::int64_t{4'000'000'000'000}}) {
                CHECK(job_at(job, at_millis(now)) == job);
            }
        }
        // Even one loaded as IN_PROGRESS with a CompletionTimestamp in the future.
        MediaAnalysisJob odd = rekmock::testing::make_job("odd", kCreated);
        odd.completion_timestamp = at_millis(kCreated + 1000);
        CHECK(job_at(odd, at_millis(kCreated)) == odd);
    }

    TEST_CASE("steer_job to a non-terminal status drops completion, outputs and schedule") {
        for (const auto& source : steer_sources()) {
            for (const auto status :
                 {MediaAnalysisJobStatus::Created, MediaAnalysisJobStatus::Queued,
                  MediaAnalysisJobStatus::InProgress}) {
                CAPTURE(source.name);
                CAPTURE(rekmock::to_string(status));
                const MediaAnalysisJob steered =
                    steer_job(source.stored, status, std::nullopt, source.now);
                CHECK(steered.status == status);
                check_hidden(steered);
                CHECK_FALSE(steered.schedule.has_value());
                check_caller_members_kept(steered, source.stored);
                // Frozen: the view at any later instant is the steered job itself.
                CHECK(job_at(steered, source.now + milliseconds(100'000'000)) == steered);
            }
        }
        SUBCASE("FailureDetails given with a non-terminal status are ignored") {
            const MediaAnalysisJob steered =
                steer_job(planned(fresh_job(), kDurations), MediaAnalysisJobStatus::Queued,
                          rekmock::MediaAnalysisJobFailureDetails{
                              MediaAnalysisJobFailureCode::Throttled, "slow"},
                          at_millis(kCreated + 3500));
            CHECK(steered.status == MediaAnalysisJobStatus::Queued);
            check_hidden(steered);
        }
    }

    TEST_CASE("steer_job to SUCCEEDED") {
        SUBCASE("a running job completes now with results under its OutputConfig") {
            const MediaAnalysisJob stored = planned(fresh_job(), kDurations);
            const Timestamp now = at_millis(kCreated + 3500);
            const MediaAnalysisJob steered =
                steer_job(stored, MediaAnalysisJobStatus::Succeeded, std::nullopt, now);
            CHECK(steered.status == MediaAnalysisJobStatus::Succeeded);
            CHECK(steered.completion_timestamp == now);
            CHECK_FALSE(steered.schedule.has_value());
            CHECK_FALSE(steered.failure_details.has_value());
            REQUIRE(steered.results.has_value());
            CHECK(steered.results->s3_object ==
                  rekmock::S3Object{"out-bucket", "results/0123abcd-results.jsonl", std::nullopt});
            REQUIRE(steered.results->model_versions.has_value());
            CHECK(steered.results->model_versions->moderation == "7.0");
            REQUIRE(steered.manifest_summary.has_value());
            CHECK(steered.manifest_summary->s3_object ==
                  rekmock::S3Object{"out-bucket", "results/0123abcd-manifest-summary.json",
                                    std::nullopt});
            check_caller_members_kept(steered, stored);
            CHECK(job_at(steered, now + milliseconds(100'000'000)) == steered);
        }
        SUBCASE("a running job planned to fail succeeds instead") {
            MediaAnalysisJob job = fresh_job();
            job.input.s3_object.name = "manifests/fail-throttled.jsonl";
            const MediaAnalysisJob stored = planned(job, kDurations);
            REQUIRE(stored.status == MediaAnalysisJobStatus::Failed);
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Succeeded,
                                                       std::nullopt, at_millis(kCreated + 10));
            CHECK(steered.status == MediaAnalysisJobStatus::Succeeded);
            CHECK(steered.completion_timestamp == at_millis(kCreated + 10));
            CHECK_FALSE(steered.failure_details.has_value());
            CHECK(steered.results.has_value());
            CHECK(steered.manifest_summary.has_value());
        }
        SUBCASE("a SUCCEEDED fixture keeps its completion, results and manifest summary") {
            const MediaAnalysisJob& stored = rich_job("full-job");
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Succeeded,
                                                       std::nullopt, at_millis(1'800'000'000'000));
            CHECK(steered == stored);
        }
        SUBCASE("existing empty Results and ManifestSummary are kept as they are") {
            MediaAnalysisJob stored = rich_job("hollow");
            stored.completion_timestamp = at_millis(1'400'000'000'500);
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Succeeded,
                                                       std::nullopt, at_millis(1'800'000'000'000));
            CHECK(steered == stored);
        }
        SUBCASE("a FAILED fixture keeps its completion, loses its failure and gains results") {
            const MediaAnalysisJob& stored = rich_job("failed_only-code");
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Succeeded,
                                                       std::nullopt, at_millis(1'800'000'000'000));
            CHECK(steered.status == MediaAnalysisJobStatus::Succeeded);
            CHECK(steered.completion_timestamp == stored.completion_timestamp);
            CHECK_FALSE(steered.failure_details.has_value());
            REQUIRE(steered.results.has_value());
            // OutputConfig has an empty prefix: the keys start at the JobId.
            CHECK(steered.results->s3_object == rekmock::S3Object{"output-bucket",
                                                                  "failed_only-code-results.jsonl",
                                                                  std::nullopt});
            REQUIRE(steered.manifest_summary.has_value());
            CHECK(steered.manifest_summary->s3_object ==
                  rekmock::S3Object{"output-bucket", "failed_only-code-manifest-summary.json",
                                    std::nullopt});
            check_caller_members_kept(steered, stored);
        }
    }

    TEST_CASE("steer_job to FAILED") {
        const rekmock::MediaAnalysisJobFailureDetails given{
            MediaAnalysisJobFailureCode::InvalidKmsKey, "the key is gone"};
        SUBCASE("a running job with FailureDetails completes now with exactly those") {
            const MediaAnalysisJob stored = planned(fresh_job(), kDurations);
            const Timestamp now = at_millis(kCreated + 3500);
            const MediaAnalysisJob steered =
                steer_job(stored, MediaAnalysisJobStatus::Failed, given, now);
            CHECK(steered.status == MediaAnalysisJobStatus::Failed);
            CHECK(steered.failure_details == given);
            CHECK(steered.completion_timestamp == now);
            CHECK_FALSE(steered.schedule.has_value());
            CHECK_FALSE(steered.results.has_value());
            CHECK_FALSE(steered.manifest_summary.has_value());
            check_caller_members_kept(steered, stored);
            CHECK(job_at(steered, now + milliseconds(100'000'000)) == steered);
        }
        SUBCASE("without FailureDetails: INTERNAL_ERROR with a message") {
            const MediaAnalysisJob stored = planned(fresh_job(), kDurations);
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Failed,
                                                       std::nullopt, at_millis(kCreated + 3500));
            REQUIRE(steered.failure_details.has_value());
            CHECK(steered.failure_details->code == MediaAnalysisJobFailureCode::InternalError);
            REQUIRE(steered.failure_details->message.has_value());
            CHECK_FALSE(steered.failure_details->message->empty());
            CHECK(*steered.failure_details->message ==
                  rekmock::service::failure_message(MediaAnalysisJobFailureCode::InternalError,
                                                    stored));
        }
        SUBCASE("FailureDetails with only a message are taken as given") {
            const rekmock::MediaAnalysisJobFailureDetails message_only{std::nullopt, "why"};
            const MediaAnalysisJob steered =
                steer_job(planned(fresh_job(), kDurations), MediaAnalysisJobStatus::Failed,
                          message_only, at_millis(kCreated + 3500));
            CHECK(steered.failure_details == message_only);
        }
        SUBCASE("a SUCCEEDED fixture keeps its completion and drops its outputs") {
            const MediaAnalysisJob& stored = rich_job("full-job");
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Failed,
                                                       given, at_millis(1'800'000'000'000));
            CHECK(steered.status == MediaAnalysisJobStatus::Failed);
            CHECK(steered.failure_details == given);
            CHECK(steered.completion_timestamp == stored.completion_timestamp);
            CHECK_FALSE(steered.results.has_value());
            CHECK_FALSE(steered.manifest_summary.has_value());
            check_caller_members_kept(steered, stored);
        }
        SUBCASE("a FAILED fixture takes the new FailureDetails and keeps its completion") {
            const MediaAnalysisJob& stored = rich_job("failed_only-code");
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Failed,
                                                       given, at_millis(1'800'000'000'000));
            CHECK(steered.failure_details == given);
            CHECK(steered.completion_timestamp == stored.completion_timestamp);
        }
        SUBCASE("a FAILED fixture steered to FAILED without details gets INTERNAL_ERROR") {
            const MediaAnalysisJob& stored = rich_job("failed_only-code");
            const MediaAnalysisJob steered = steer_job(stored, MediaAnalysisJobStatus::Failed,
                                                       std::nullopt, at_millis(1'800'000'000'000));
            REQUIRE(steered.failure_details.has_value());
            CHECK(steered.failure_details->code == MediaAnalysisJobFailureCode::InternalError);
            CHECK(steered.completion_timestamp == stored.completion_timestamp);
        }
    }

    TEST_CASE("a job that becomes terminal completes now but never before its creation") {
        // The CompletionTimestamp steering each stored job to each terminal status at `now`.
        const auto completions = [](const MediaAnalysisJob& stored, Timestamp now) {
            std::vector<std::optional<Timestamp>> out;
            for (const auto status :
                 {MediaAnalysisJobStatus::Succeeded, MediaAnalysisJobStatus::Failed}) {
                const MediaAnalysisJob steered = steer_job(stored, status, std::nullopt, now);
                CHECK_FALSE(steered.schedule.has_value());
                out.push_back(steered.completion_timestamp);
            }
            return out;
        };
        using Completions = std::vector<std::optional<Timestamp>>;
        SUBCASE("a clock behind the CreationTimestamp") {
            CHECK(completions(rekmock::testing::make_job("ahead", 5000), at_millis(4000)) ==
                  Completions{at_millis(5000), at_millis(5000)});
        }
        SUBCASE("at the CreationTimestamp") {
            CHECK(completions(rekmock::testing::make_job("same", 5000), at_millis(5000)) ==
                  Completions{at_millis(5000), at_millis(5000)});
        }
        SUBCASE("a loaded IN_PROGRESS job with a stale CompletionTimestamp completes now") {
            MediaAnalysisJob stored = rekmock::testing::make_job("stale", 5000);
            stored.completion_timestamp = at_millis(6000);
            CHECK(completions(stored, at_millis(9000)) ==
                  Completions{at_millis(9000), at_millis(9000)});
        }
        SUBCASE("a started job already past its completion keeps it") {
            CHECK(completions(planned(fresh_job(), kDurations), at_millis(kCreated + 9000)) ==
                  Completions{at_millis(kCreated + 6000), at_millis(kCreated + 6000)});
        }
        SUBCASE("a terminal fixture without a CompletionTimestamp gets now") {
            MediaAnalysisJob stored = rich_job("full-job");
            stored.completion_timestamp.reset();
            CHECK(completions(stored, at_millis(1'800'000'000'000)) ==
                  Completions{at_millis(1'800'000'000'000), at_millis(1'800'000'000'000)});
        }
    }

    TEST_CASE("with work, a job's outputs are pending and SUCCEEDED is only the plan") {
        MediaAnalysisJob job = fresh_job();
        plan_lifecycle(job, at_millis(kCreated), kDurations, true);
        CHECK(job.outputs_pending);
        CHECK(job.status == MediaAnalysisJobStatus::Succeeded);
        const Timestamp done = at_millis(kCreated + 6000);
        CHECK(job_at(job, done - milliseconds(1)).status == MediaAnalysisJobStatus::InProgress);
        // Due but not done: still IN_PROGRESS, and never settled until the work is done.
        const MediaAnalysisJob due = job_at(job, done + milliseconds(50));
        CHECK(due.status == MediaAnalysisJobStatus::InProgress);
        check_hidden(due);
        CHECK_FALSE(rekmock::service::settled_at(job, done + milliseconds(50)));

        MediaAnalysisJob triggered = fresh_job();
        triggered.input.s3_object.name = "fail-invalid-manifest.jsonl";
        plan_lifecycle(triggered, at_millis(kCreated), kDurations, true);
        CHECK_FALSE(triggered.outputs_pending);  // a trigger wins over the work
        CHECK(triggered.status == MediaAnalysisJobStatus::Failed);
    }

    TEST_CASE("finish_work settles the job on its outcome") {
        MediaAnalysisJob job = fresh_job();
        plan_lifecycle(job, at_millis(kCreated), kDurations, true);
        const auto succeeded = rekmock::service::finish_work(
            job, rekmock::service::WorkOutcome{std::nullopt, "r1", "s1"});
        CHECK_FALSE(succeeded.outputs_pending);
        CHECK(succeeded.status == MediaAnalysisJobStatus::Succeeded);
        CHECK(succeeded.results->s3_object->version == "r1");
        CHECK(succeeded.manifest_summary->s3_object->version == "s1");
        CHECK(succeeded.completion_timestamp == job.completion_timestamp);

        const rekmock::MediaAnalysisJobFailureDetails failure{
            MediaAnalysisJobFailureCode::InvalidOutputConfig, "no bucket"};
        const auto failed =
            rekmock::service::finish_work(job, rekmock::service::WorkOutcome{failure, {}, {}});
        CHECK_FALSE(failed.outputs_pending);
        CHECK(failed.status == MediaAnalysisJobStatus::Failed);
        CHECK(failed.failure_details == failure);
        CHECK_FALSE(failed.results.has_value());
        CHECK_FALSE(failed.manifest_summary.has_value());
    }

    TEST_CASE("steering keeps pending work through running states, SUCCEEDED makes it due") {
        MediaAnalysisJob job = fresh_job();
        plan_lifecycle(job, at_millis(kCreated), kDurations, true);
        const Timestamp steer_at = at_millis(kCreated + 500);
        const auto queued = steer_job(job, MediaAnalysisJobStatus::Queued, std::nullopt, steer_at);
        CHECK(queued.outputs_pending);
        CHECK_FALSE(queued.completion_timestamp.has_value());
        CHECK(job_at(queued, at_millis(kCreated + 99'000)) == queued);  // frozen, not due

        const Timestamp later = at_millis(kCreated + 700);
        const auto succeeded =
            steer_job(queued, MediaAnalysisJobStatus::Succeeded, std::nullopt, later);
        CHECK(succeeded.outputs_pending);
        CHECK(succeeded.completion_timestamp == later);
        CHECK(job_at(succeeded, later).status == MediaAnalysisJobStatus::InProgress);

        const auto failed = steer_job(queued, MediaAnalysisJobStatus::Failed, std::nullopt, later);
        CHECK_FALSE(failed.outputs_pending);
        CHECK(failed.status == MediaAnalysisJobStatus::Failed);
    }

    TEST_CASE("by polls, the N-th, 2N-th and 3N-th Gets move the job on, and time does not") {
        const LifecycleDurations by_polls{milliseconds(0), milliseconds(0), milliseconds(0), 2};
        MediaAnalysisJob job = planned(fresh_job(), by_polls);
        CHECK(job.polls_per_state == 2);
        CHECK(job.completion_timestamp == kNever);
        const std::vector<MediaAnalysisJobStatus> expected{
            MediaAnalysisJobStatus::Created,    MediaAnalysisJobStatus::Queued,
            MediaAnalysisJobStatus::Queued,     MediaAnalysisJobStatus::InProgress,
            MediaAnalysisJobStatus::InProgress, MediaAnalysisJobStatus::Succeeded};
        // A year of mock time between Gets changes nothing but what the Gets do.
        Timestamp now = at_millis(kCreated);
        CHECK(job_at(job, now + std::chrono::hours(24 * 365)).status ==
              MediaAnalysisJobStatus::Created);
        for (std::size_t get = 0; get < expected.size(); ++get) {
            now += std::chrono::hours(24 * 365);
            REQUIRE(counts_polls(job, now));
            job = poll_job(job, now);
            CAPTURE(get);
            CHECK(job_at(job, now).status == expected[get]);
            CHECK(job.polls_seen == static_cast<std::int64_t>(get + 1));
        }
        CHECK(job_at(job, now).completion_timestamp == now);  // when the last Get reached it
        CHECK(job.schedule->queued_at < job.schedule->in_progress_at);
        CHECK_FALSE(counts_polls(job, now));
        CHECK(job_at(job, now + milliseconds(1)) == job);
    }

    TEST_CASE("by polls, a triggered failure is the terminal state, hidden before it") {
        auto failing = fresh_job();
        failing.input.s3_object.name = "fail-access-denied.jsonl";
        MediaAnalysisJob job =
            planned(failing, {milliseconds(0), milliseconds(0), milliseconds(0), 1});
        const Timestamp now = at_millis(kCreated + 5);
        job = poll_job(poll_job(job, now), now);
        CHECK(job_at(job, now).status == MediaAnalysisJobStatus::InProgress);
        check_hidden(job_at(job, now));
        job = poll_job(job, now);
        CHECK(job_at(job, now).status == MediaAnalysisJobStatus::Failed);
        CHECK(job_at(job, now).failure_details->code == MediaAnalysisJobFailureCode::AccessDenied);
    }

    TEST_CASE("pace_by_polls starts from the state a job shows, and refuses one with none left") {
        const MediaAnalysisJob timed = planned(fresh_job(), kDurations);
        const Timestamp queued_now = at_millis(kCreated + 1500);  // QUEUED by time
        const auto paced = pace_by_polls(timed, 3, queued_now);
        REQUIRE(paced);
        CHECK(paced->polls_per_state == 3);
        CHECK(paced->polls_seen == 3);
        CHECK(job_at(*paced, queued_now + std::chrono::hours(1)).status ==
              MediaAnalysisJobStatus::Queued);
        MediaAnalysisJob job = *paced;
        for (int get = 0; get < 3; ++get) {
            job = poll_job(job, queued_now);
        }
        CHECK(job_at(job, queued_now).status == MediaAnalysisJobStatus::InProgress);
        CHECK(pace_by_polls(job, 1, queued_now)->polls_seen == 2);  // re-paced where it is

        CHECK_FALSE(pace_by_polls(timed, 1, at_millis(kCreated + 6000)));  // already terminal
        const MediaAnalysisJob steered =
            steer_job(timed, MediaAnalysisJobStatus::Queued, std::nullopt, queued_now);
        CHECK_FALSE(pace_by_polls(steered, 1, queued_now));
        CHECK_FALSE(counts_polls(steered, queued_now));
        MediaAnalysisJob loaded = fresh_job();
        loaded.status = MediaAnalysisJobStatus::InProgress;
        CHECK_FALSE(pace_by_polls(loaded, 1, queued_now));
    }
}
