#include "usage_meter.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using rekmock::Scope;
using rekmock::service::UsageMeter;

TEST_SUITE("usage_meter") {
    TEST_CASE("calls are counted per scope and operation, errors apart") {
        UsageMeter meter;
        const Scope a{"111122223333", "eu-west-1"};
        meter.count_call(a, "ListMediaAnalysisJobs", false);
        meter.count_call(a, "ListMediaAnalysisJobs", true);
        meter.count_call(a, "StartMediaAnalysisJob", false);
        meter.count_call(Scope{}, "ListMediaAnalysisJobs", false);
        const auto used = meter.of(a);
        REQUIRE(used.calls.size() == 2);
        CHECK(used.calls.at("ListMediaAnalysisJobs").calls == 2);
        CHECK(used.calls.at("ListMediaAnalysisJobs").errors == 1);
        CHECK(used.calls.at("StartMediaAnalysisJob").calls == 1);
        CHECK(meter.of(Scope{}).calls.at("ListMediaAnalysisJobs").calls == 1);
        CHECK(meter.of(Scope{"111122223333", "us-east-1"}).calls.empty());
    }

    TEST_CASE("work is summed for the scope and kept per job, in the order it ended") {
        UsageMeter meter;
        meter.count_work(Scope{}, "job-1", 10, 2);
        meter.count_work(Scope{}, "job-2", 5, 0);
        const auto used = meter.of(Scope{});
        CHECK(used.images_processed == 15);
        CHECK(used.lines_refused == 2);
        REQUIRE(used.jobs.size() == 2);
        CHECK(used.jobs[0].job_id == "job-1");
        CHECK(used.jobs[1].images_processed == 5);
    }

    TEST_CASE("clearing a scope leaves the others, clearing none clears all") {
        UsageMeter meter;
        const Scope a{"111122223333", "eu-west-1"};
        meter.count_work(a, "job-1", 1, 0);
        meter.count_work(Scope{}, "job-2", 1, 0);
        meter.clear(a);
        CHECK(meter.of(a).jobs.empty());
        CHECK(meter.of(Scope{}).images_processed == 1);
        meter.clear();
        CHECK(meter.of(Scope{}).jobs.empty());
    }
}

TEST_SUITE("concurrency") {
    TEST_CASE("concurrent calls to the usage meter are all counted") {
        UsageMeter meter;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&meter] {
                for (int i = 0; i < 1000; ++i) {
                    meter.count_call(Scope{}, "GetMediaAnalysisJob", i % 10 == 0);
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        CHECK(meter.of(Scope{}).calls.at("GetMediaAnalysisJob").calls == 4000);
        CHECK(meter.of(Scope{}).calls.at("GetMediaAnalysisJob").errors == 400);
    }
}
