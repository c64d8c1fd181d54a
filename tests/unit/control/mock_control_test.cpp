#include "mock_control.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "job_store.hpp"
#include "lifecycle.hpp"
#include "listed_fixtures.hpp"
#include "test_jobs.hpp"

using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobFailureCode;
using rekmock::MediaAnalysisJobStatus;
using rekmock::Scope;
using rekmock::Timestamp;
using rekmock::control::MockControl;
using rekmock::service::SteerableClock;
using rekmock::storage::JobStore;
using rekmock::testing::make_job;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kHour{3'600'000};
const Scope kOther{"111122223333", "eu-west-1"};

MediaAnalysisJob in_scope(MediaAnalysisJob job, const Scope& scope) {
    job.scope = scope;
    return job;
}

std::vector<std::string> ids_of(const std::vector<MediaAnalysisJob>& jobs) {
    std::vector<std::string> ids;
    for (const auto& job : jobs) {
        ids.push_back(job.job_id);
    }
    return ids;
}

// The fixture jobs the server started with: two in the default scope, one in kOther.
std::vector<MediaAnalysisJob> baseline() {
    MediaAnalysisJob done = make_job("base-done", 1'000'000);
    done.status = MediaAnalysisJobStatus::Succeeded;
    done.completion_timestamp = rekmock::testing::at_millis(1'000'500);
    return {done, make_job("base-running", 2'000'000),
            in_scope(make_job("base-other", 3'000'000), kOther)};
}

// A started job relative to the clock's now: created a minute ago, QUEUED in one hour,
// IN_PROGRESS in two, SUCCEEDED in three.
MediaAnalysisJob started_job(const std::string& id, Timestamp now, const Scope& scope = {}) {
    MediaAnalysisJob job = make_job(id, 0);
    job.scope = scope;
    rekmock::service::plan_lifecycle(
        job, now - milliseconds(60'000),
        rekmock::service::LifecycleDurations{kHour + milliseconds(60'000), kHour, kHour});
    return job;
}

struct Harness {
    Harness()
        : store(":memory:"),
          fixtures(store, [] { return baseline(); }),
          control(store, clock, fixtures, faults, journal) {}
    JobStore store;
    SteerableClock clock;
    rekmock::testing::ListedFixtures fixtures;
    rekmock::protocol::FaultInjector faults;
    rekmock::protocol::RequestJournal journal;
    MockControl control;
};

}  // namespace

TEST_SUITE("mock_control") {
    TEST_CASE("reset of every scope deletes everything and reloads the whole baseline") {
        Harness h;
        const auto first = h.control.reset(std::nullopt, true);
        CHECK(first.jobs_deleted == 0);
        CHECK(first.jobs_loaded == 3);
        CHECK(h.store.count() == 3);

        h.store.put_all({make_job("extra", 5), in_scope(make_job("extra-other", 6), kOther)});
        REQUIRE(h.control.set_status(Scope{}, "base-running", MediaAnalysisJobStatus::Failed,
                                     std::nullopt));
        REQUIRE(h.store.count() == 5);

        SUBCASE("with reload") {
            const auto result = h.control.reset(std::nullopt, true);
            CHECK(result.jobs_deleted == 5);
            CHECK(result.jobs_loaded == 3);
            CHECK(ids_of(h.control.dump(Scope{})) ==
                  std::vector<std::string>{"base-running", "base-done"});
            CHECK(ids_of(h.control.dump(kOther)) == std::vector<std::string>{"base-other"});
            // The steered baseline job is back as loaded.
            CHECK(h.store.find(Scope{}, "base-running") == make_job("base-running", 2'000'000));
        }
        SUBCASE("without reload") {
            const auto result = h.control.reset(std::nullopt, false);
            CHECK(result.jobs_deleted == 5);
            CHECK(result.jobs_loaded == 0);
            CHECK(h.store.count() == 0);
            CHECK(h.control.job_counts().empty());
        }
    }

    TEST_CASE("reset of one scope touches only that scope and reloads only its baseline") {
        Harness h;
        REQUIRE(h.control.reset(std::nullopt, true).jobs_loaded == 3);
        h.store.put_all({make_job("extra", 5), in_scope(make_job("extra-other", 6), kOther),
                         in_scope(make_job("extra-other-2", 7), kOther)});

        SUBCASE("the other scope, with reload") {
            const auto result = h.control.reset(kOther, true);
            CHECK(result.jobs_deleted == 3);
            CHECK(result.jobs_loaded == 1);
            CHECK(ids_of(h.control.dump(kOther)) == std::vector<std::string>{"base-other"});
            CHECK(ids_of(h.control.dump(Scope{})) ==
                  std::vector<std::string>{"base-running", "base-done", "extra"});
        }
        SUBCASE("the default scope, with reload") {
            const auto result = h.control.reset(Scope{}, true);
            CHECK(result.jobs_deleted == 3);
            CHECK(result.jobs_loaded == 2);
            CHECK(ids_of(h.control.dump(Scope{})) ==
                  std::vector<std::string>{"base-running", "base-done"});
            CHECK(ids_of(h.control.dump(kOther)) ==
                  std::vector<std::string>{"base-other", "extra-other-2", "extra-other"});
        }
        SUBCASE("the other scope, without reload") {
            const auto result = h.control.reset(kOther, false);
            CHECK(result.jobs_deleted == 3);
            CHECK(result.jobs_loaded == 0);
            CHECK(h.control.dump(kOther).empty());
            CHECK(h.control.job_counts() ==
                  std::vector<std::pair<Scope, std::int64_t>>{{Scope{}, 3}});
        }
        SUBCASE("a scope without baseline jobs loads none") {
            const Scope empty{"999999999999", "ap-south-1"};
            h.store.put_all({in_scope(make_job("lonely", 8), empty)});
            const auto result = h.control.reset(empty, true);
            CHECK(result.jobs_deleted == 1);
            CHECK(result.jobs_loaded == 0);
            CHECK(h.store.count() == 6);
        }
    }

    TEST_CASE("dump lists the scope's jobs in list order as the API shows them now") {
        Harness h;
        const Timestamp now = h.clock.now();
        h.store.put_all({make_job("old", 100), started_job("started", now), make_job("mid", 200),
                         make_job("tie-a", 200), in_scope(make_job("other", 300), kOther)});
        const auto jobs = h.control.dump(Scope{});
        REQUIRE(ids_of(jobs) == std::vector<std::string>{"started", "tie-a", "mid", "old"});
        CHECK(jobs[0].status == MediaAnalysisJobStatus::Created);
        CHECK_FALSE(jobs[0].completion_timestamp.has_value());
        CHECK_FALSE(jobs[0].results.has_value());
        for (const auto& job : jobs) {
            CHECK(job.scope == Scope{});
        }
        CHECK(ids_of(h.control.dump(kOther)) == std::vector<std::string>{"other"});
        CHECK(h.control.dump(Scope{"999999999999", "us-east-1"}).empty());

        SUBCASE("advancing the clock moves the view through the lifecycle") {
            CHECK(h.control.advance_clock(kHour + milliseconds(60'000)) ==
                  kHour + milliseconds(60'000));
            CHECK(h.control.dump(Scope{})[0].status == MediaAnalysisJobStatus::Queued);
            h.control.advance_clock(kHour);
            CHECK(h.control.dump(Scope{})[0].status == MediaAnalysisJobStatus::InProgress);
            CHECK(h.control.advance_clock(kHour) == 3 * kHour + milliseconds(60'000));
            const MediaAnalysisJob done = h.control.dump(Scope{})[0];
            CHECK(done.status == MediaAnalysisJobStatus::Succeeded);
            CHECK(done.completion_timestamp.has_value());
            CHECK(done.results.has_value());
            CHECK(done.manifest_summary.has_value());
            // The store is unchanged: the view is computed.
            CHECK(h.store.find(Scope{}, "started")->schedule.has_value());
        }
        SUBCASE("a clock put back on the system clock moves the view back") {
            h.control.advance_clock(10 * kHour);
            CHECK(h.control.dump(Scope{})[0].status == MediaAnalysisJobStatus::Succeeded);
            h.clock.reset();
            CHECK(h.control.clock().offset() == milliseconds(0));
            CHECK(h.clock.offset() == milliseconds(0));
            CHECK(h.control.dump(Scope{})[0].status == MediaAnalysisJobStatus::Created);
        }
    }

    TEST_CASE("set_status is nullopt for an unknown job or a job of another scope") {
        Harness h;
        h.store.put_all({make_job("mine", 1), in_scope(make_job("theirs", 2), kOther)});
        CHECK_FALSE(
            h.control
                .set_status(Scope{}, "missing", MediaAnalysisJobStatus::Succeeded, std::nullopt)
                .has_value());
        CHECK_FALSE(
            h.control.set_status(Scope{}, "theirs", MediaAnalysisJobStatus::Succeeded, std::nullopt)
                .has_value());
        CHECK_FALSE(
            h.control.set_status(kOther, "mine", MediaAnalysisJobStatus::Failed, std::nullopt)
                .has_value());
        // Neither job changed.
        CHECK(h.store.find(kOther, "theirs") == in_scope(make_job("theirs", 2), kOther));
        CHECK(h.store.find(Scope{}, "mine") == make_job("mine", 1));
        CHECK(h.store.count() == 2);
    }

    TEST_CASE("set_status stores the steered job and freezes it there") {
        Harness h;
        const Timestamp now = h.clock.now();
        h.store.put_all({started_job("started", now), started_job("theirs", now, kOther)});

        SUBCASE("to IN_PROGRESS: stays IN_PROGRESS however far the clock moves") {
            const auto steered = h.control.set_status(
                Scope{}, "started", MediaAnalysisJobStatus::InProgress, std::nullopt);
            REQUIRE(steered.has_value());
            CHECK(steered->status == MediaAnalysisJobStatus::InProgress);
            CHECK_FALSE(steered->schedule.has_value());
            CHECK(h.store.find(Scope{}, "started") == steered);
            h.control.advance_clock(100 * kHour);
            const auto jobs = h.control.dump(Scope{});
            REQUIRE(jobs.size() == 1);
            CHECK(jobs[0] == *steered);
        }
        SUBCASE("to FAILED with FailureDetails") {
            const rekmock::MediaAnalysisJobFailureDetails failure{
                MediaAnalysisJobFailureCode::AccessDenied, "no access"};
            const Timestamp before = h.clock.now();
            const auto steered =
                h.control.set_status(Scope{}, "started", MediaAnalysisJobStatus::Failed, failure);
            const Timestamp after = h.clock.now();
            REQUIRE(steered.has_value());
            CHECK(steered->status == MediaAnalysisJobStatus::Failed);
            CHECK(steered->failure_details == failure);
            REQUIRE(steered->completion_timestamp.has_value());
            CHECK(*steered->completion_timestamp >= before);
            CHECK(*steered->completion_timestamp <= after);
            CHECK(h.store.find(Scope{}, "started") == steered);
            CHECK(h.control.dump(Scope{})[0] == *steered);
        }
        SUBCASE("the completion follows the steered clock") {
            h.control.advance_clock(kHour / 2);
            const Timestamp before = h.clock.now();
            const auto steered = h.control.set_status(
                Scope{}, "started", MediaAnalysisJobStatus::Succeeded, std::nullopt);
            REQUIRE(steered.has_value());
            REQUIRE(steered->completion_timestamp.has_value());
            CHECK(*steered->completion_timestamp >= before);
            CHECK(steered->results.has_value());
        }
        SUBCASE("the other scope's job with the same schedule is untouched") {
            REQUIRE(h.control.set_status(Scope{}, "started", MediaAnalysisJobStatus::Succeeded,
                                         std::nullopt));
            const auto theirs = h.store.find(kOther, "theirs");
            REQUIRE(theirs.has_value());
            CHECK(theirs->schedule.has_value());
            CHECK(h.control.dump(kOther)[0].status == MediaAnalysisJobStatus::Created);
        }
    }

    TEST_CASE("job_counts reports jobs per non-empty scope") {
        Harness h;
        CHECK(h.control.job_counts().empty());
        h.control.reset(std::nullopt, true);
        CHECK(h.control.job_counts() ==
              std::vector<std::pair<Scope, std::int64_t>>{{Scope{}, 2}, {kOther, 1}});
    }

    TEST_CASE("the baseline is loaded at each reset, and a failing load changes nothing") {
        JobStore store(":memory:");
        SteerableClock clock;
        int loads = 0;
        bool broken = false;
        rekmock::testing::ListedFixtures fixtures(store, [&] {
            ++loads;
            if (broken) {
                throw std::runtime_error("fixture file no longer parses");
            }
            return baseline();
        });
        rekmock::protocol::FaultInjector faults;
        rekmock::protocol::RequestJournal journal;
        MockControl control(store, clock, fixtures, faults, journal);
        CHECK(loads == 0);
        control.reset(std::nullopt, false);
        CHECK(loads == 0);
        control.reset(std::nullopt, true);
        CHECK(loads == 1);
        const auto before = store.count();
        REQUIRE(before > 0);
        broken = true;
        CHECK_THROWS_AS(control.reset(std::nullopt, true), std::runtime_error);
        CHECK(store.count() == before);
    }

    TEST_CASE("a reset of every scope returns to the baseline: real time, full-reset hooks") {
        Harness h;
        std::vector<std::string> ran;
        h.control.on_full_reset([&] { ran.push_back("faults"); });
        h.control.on_full_reset([&] { ran.push_back("journal"); });
        h.control.advance_clock(kHour);

        SUBCASE("a scoped reset keeps the clock and runs no hook") {
            h.control.reset(kOther, true);
            CHECK(h.clock.offset() == kHour);
            CHECK(ran.empty());
        }
        SUBCASE("a full reset, with or without reloading, runs the hooks in order") {
            h.control.reset(std::nullopt, false);
            CHECK(h.clock.offset() == milliseconds(0));
            CHECK(ran == std::vector<std::string>{"faults", "journal"});
            h.control.reset(std::nullopt, true);
            CHECK(ran.size() == 4);
        }
        SUBCASE("a baseline that fails to load leaves clock and hooked state alone") {
            rekmock::testing::ListedFixtures unloadable(
                h.store, []() -> std::vector<MediaAnalysisJob> {
                    throw std::runtime_error("fixture file no longer parses");
                });
            MockControl broken(h.store, h.clock, unloadable, h.faults, h.journal);
            broken.on_full_reset([&] { ran.push_back("faults"); });
            CHECK_THROWS_AS(broken.reset(std::nullopt, true), std::runtime_error);
            CHECK(h.clock.offset() == kHour);
            CHECK(ran.empty());
        }
    }
}
