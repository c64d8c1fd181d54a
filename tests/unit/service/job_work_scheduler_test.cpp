#include "job_work_scheduler.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lifecycle.hpp"
#include "manual_clock.hpp"
#include "sqlite_database.hpp"
#include "string_byte_stream.hpp"
#include "test_jobs.hpp"
#include "would_block.hpp"

using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobFailureCode;
using rekmock::MediaAnalysisJobStatus;
using rekmock::Timestamp;
using rekmock::service::JobWork;
using rekmock::service::JobWorkScheduler;
using rekmock::service::WorkOutcome;
using std::chrono::milliseconds;

namespace {

// A JobWork that counts its calls and answers what the test sets; optionally holds each call
// until released, so that tests can line up concurrent requests.
class ScriptedWork final : public JobWork {
  public:
    std::optional<std::string> admit(const MediaAnalysisJob&) override { return std::nullopt; }
    WorkOutcome perform(const MediaAnalysisJob& job,
                        const std::optional<std::string>& frozen_rules) override {
        std::unique_lock lock(mutex_);
        ++calls_;
        rules_.push_back(frozen_rules);
        performed_.notify_all();
        released_.wait(lock, [this] { return !hold_; });
        if (during_) {
            during_(job);
        }
        if (throw_) {
            throw std::runtime_error("disk on fire");
        }
        return outcome_;
    }
    std::unique_ptr<rekmock::service::ByteStream> open_output(const rekmock::S3Object&) override {
        return std::make_unique<rekmock::testing::StringByteStream>("output");
    }
    rekmock::service::ImageStream open_image(const rekmock::S3Object&) override {
        return {std::make_unique<rekmock::testing::StringByteStream>("image"), "image/png"};
    }

    int calls() {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    // The rules each call was given, in call order.
    std::vector<std::optional<std::string>> rules() {
        std::lock_guard lock(mutex_);
        return rules_;
    }
    // Waits (bounded) until perform() has been called `n` times.
    bool wait_for_calls(int n) {
        std::unique_lock lock(mutex_);
        return performed_.wait_for(lock, std::chrono::seconds(30), [&] { return calls_ >= n; });
    }
    void hold() { hold_ = true; }
    void release() {
        {
            std::lock_guard lock(mutex_);
            hold_ = false;
        }
        released_.notify_all();
    }

    WorkOutcome outcome_{std::nullopt, "r1", "s1"};
    bool throw_ = false;
    std::function<void(const MediaAnalysisJob&)> during_;

  private:
    std::mutex mutex_;
    std::condition_variable performed_;
    std::condition_variable released_;
    int calls_ = 0;
    std::vector<std::optional<std::string>> rules_;
    bool hold_ = false;
};

// A job started at `created` with zero durations and work, as Start stores it.
MediaAnalysisJob pending_job(const std::string& id, Timestamp created) {
    MediaAnalysisJob job = rekmock::testing::make_job(id, 0);
    job.status = MediaAnalysisJobStatus::Created;
    rekmock::service::plan_lifecycle(job, created, {}, true);
    return job;
}

}  // namespace

TEST_SUITE("job_work_scheduler") {
    TEST_CASE("on an I/O thread a due job's work goes to the pool and the caller is resumed") {
        rekmock::storage::JobStore store(":memory:");
        rekmock::testing::ManualClock clock;
        ScriptedWork work;
        work.hold();
        JobWorkScheduler scheduler(store, clock, work, 1);
        const auto job = pending_job("job", clock.now());
        store.put_all({job});
        std::optional<rekmock::service::WouldBlock> pending;
        {
            const rekmock::service::InlineOnly io_thread;
            try {
                scheduler.settle(job, clock.now());
            } catch (const rekmock::service::WouldBlock& e) {
                pending.emplace(e);
            }
            // Admitting a job reads the object store: not here either.
            CHECK_THROWS_AS(scheduler.admit(job), rekmock::service::WouldBlock);
        }
        REQUIRE(pending);
        REQUIRE(work.wait_for_calls(1));  // on a pool thread, while this one goes on
        std::mutex mutex;
        std::condition_variable resumed;
        std::optional<MediaAnalysisJob> seen;
        pending->resume([&] {
            // Resumed on a worker, once the work is stored: settle() answers without waiting.
            CHECK(rekmock::service::blocking_allowed());
            const auto settled = scheduler.settle(job, clock.now());
            std::lock_guard lock(mutex);
            seen = settled;
            resumed.notify_all();
        });
        {
            std::lock_guard lock(mutex);
            CHECK_FALSE(seen);  // the work is still held
        }
        work.release();
        std::unique_lock lock(mutex);
        REQUIRE(resumed.wait_for(lock, std::chrono::seconds(30), [&] { return seen.has_value(); }));
        CHECK_FALSE(seen->outputs_pending);
        CHECK(seen->status == MediaAnalysisJobStatus::Succeeded);
        CHECK(work.calls() == 1);
    }

    TEST_CASE("stop() reports work still running after the grace") {
        rekmock::storage::JobStore store(":memory:");
        rekmock::testing::ManualClock clock;
        ScriptedWork work;
        work.hold();
        JobWorkScheduler scheduler(store, clock, work, 1);
        const auto job = pending_job("job", clock.now());
        store.put_all({job});
        scheduler.start();
        REQUIRE(work.wait_for_calls(1));
        CHECK_FALSE(scheduler.stop(milliseconds(10)));
        work.release();
    }

    TEST_CASE("a job not yet due, or without pending work, is returned as it is") {
        rekmock::storage::JobStore store(":memory:");
        rekmock::testing::ManualClock clock;
        ScriptedWork work;
        JobWorkScheduler scheduler(store, clock, work, 2);
        auto job = pending_job("job", clock.now() + milliseconds(10));
        store.put_all({job});
        CHECK(scheduler.settle(job, clock.now()) == job);
        job.outputs_pending = false;
        CHECK(scheduler.settle(job, clock.now() + milliseconds(20)) == job);
        CHECK(work.calls() == 0);
    }

    TEST_CASE("a due job's work is done once and its outcome stored") {
        rekmock::storage::JobStore store(":memory:");
        rekmock::testing::ManualClock clock;
        ScriptedWork work;
        JobWorkScheduler scheduler(store, clock, work, 2);
        const auto job = pending_job("job", clock.now());
        store.put_all({job});
        const auto settled = scheduler.settle(job, clock.now());
        CHECK_FALSE(settled.outputs_pending);
        CHECK(settled.status == MediaAnalysisJobStatus::Succeeded);
        CHECK(settled.results->s3_object->version == "r1");
        CHECK(store.find(job.scope, "job") == settled);
        // What a caller read before the work was done is stale: the work is not done again.
        CHECK(scheduler.settle(job, clock.now()) == settled);
        CHECK(work.calls() == 1);
    }

    TEST_CASE("the work is given the rules its job froze at Start, and the job then drops them") {
        rekmock::storage::JobStore store(":memory:");
        rekmock::testing::ManualClock clock;
        ScriptedWork work;
        JobWorkScheduler scheduler(store, clock, work, 2);
        const auto with_rules = pending_job("with-rules", clock.now());
        const auto without = pending_job("without", clock.now());
        const std::string rules = R"([{"SourceRef":"s3://b/a.jpg","Labels":[]}])";
        REQUIRE(store.start(with_rules, std::nullopt, 10, clock.now(), rules).kind ==
                rekmock::storage::StartOutcome::Kind::Created);
        REQUIRE(store.start(without, std::nullopt, 10, clock.now()).kind ==
                rekmock::storage::StartOutcome::Kind::Created);
        const auto stored = store.find(with_rules.scope, "with-rules");
        REQUIRE(stored.has_value());
        REQUIRE(stored->frozen_rules.has_value());
        // What List and Get read names the rules; the work alone reads their text.
        const auto settled = scheduler.settle(*stored, clock.now());
        scheduler.settle(without, clock.now());
        CHECK(work.rules() ==
              std::vector<std::optional<std::string>>{rules, std::optional<std::string>()});
        CHECK_FALSE(settled.frozen_rules.has_value());
        CHECK_FALSE(store.find(with_rules.scope, "with-rules")->frozen_rules.has_value());
        // No job names the set any more: it is gone with them.
        CHECK_THROWS_AS(store.rules_text(*stored->frozen_rules), rekmock::storage::StorageError);
    }

    TEST_CASE("a failed outcome, or work that throws, ends the job FAILED") {
        rekmock::storage::JobStore store(":memory:");
        rekmock::testing::ManualClock clock;
        ScriptedWork work;
        JobWorkScheduler scheduler(store, clock, work, 2);
        SUBCASE("outcome") {
            work.outcome_.failure = rekmock::MediaAnalysisJobFailureDetails{
                MediaAnalysisJobFailureCode::InvalidManifest, "no valid line"};
            const auto job = pending_job("job", clock.now());
            store.put_all({job});
            const auto settled = scheduler.settle(job, clock.now());
            CHECK(settled.status == MediaAnalysisJobStatus::Failed);
            CHECK(settled.failure_details == work.outcome_.failure);
            CHECK_FALSE(settled.results.has_value());
        }
        SUBCASE("exception") {
            work.throw_ = true;
            const auto job = pending_job("job", clock.now());
            store.put_all({job});
            const auto settled = scheduler.settle(job, clock.now());
            CHECK(settled.status == MediaAnalysisJobStatus::Failed);
            CHECK(settled.failure_details->code == MediaAnalysisJobFailureCode::InternalError);
            CHECK(settled.failure_details->message->find("disk on fire") != std::string::npos);
        }
    }

    TEST_CASE("a job steered while its work ran keeps the steer") {
        rekmock::storage::JobStore store(":memory:");
        rekmock::testing::ManualClock clock;
        ScriptedWork work;
        JobWorkScheduler scheduler(store, clock, work, 2);
        const auto job = pending_job("job", clock.now());
        store.put_all({job});
        const auto steered = rekmock::service::steer_job(job, MediaAnalysisJobStatus::Failed,
                                                         std::nullopt, clock.now());
        work.during_ = [&](const MediaAnalysisJob&) { store.put_all({steered}); };
        CHECK(scheduler.settle(job, clock.now()) == steered);
        CHECK(store.find(job.scope, "job") == steered);
    }
}

TEST_SUITE("concurrency") {
    TEST_CASE("requests that find one job due at once do its work once and all see the outcome") {
        rekmock::storage::JobStore store(":memory:");
        const rekmock::testing::ManualClock clock;
        ScriptedWork work;
        JobWorkScheduler scheduler(store, clock, work, 2);
        const auto job = pending_job("job", clock.now());
        store.put_all({job});
        work.hold();
        std::vector<MediaAnalysisJob> seen(4);
        std::vector<std::thread> requests;
        for (auto& result : seen) {
            requests.emplace_back([&] { result = scheduler.settle(job, clock.now()); });
        }
        REQUIRE(work.wait_for_calls(1));
        work.release();
        for (auto& request : requests) {
            request.join();
        }
        CHECK(work.calls() == 1);
        for (const auto& result : seen) {
            CHECK(result == store.find(job.scope, "job"));
            CHECK_FALSE(result.outputs_pending);
        }
    }

    TEST_CASE("the timer does the work of a job nobody asks about") {
        rekmock::storage::JobStore store(":memory:");
        ScriptedWork work;
        const auto job = pending_job("job", rekmock::service::system_clock().now());
        store.put_all({job});
        {
            JobWorkScheduler scheduler(store, rekmock::service::system_clock(), work, 2);
            scheduler.start();
            REQUIRE(work.wait_for_calls(1));
            // The outcome is stored after the work returns; the destructor waits for that.
        }
        CHECK_FALSE(store.find(job.scope, "job")->outputs_pending);
    }
}
