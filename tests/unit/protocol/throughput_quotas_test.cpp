#include "throughput_quotas.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string_view>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using rekmock::Scope;
using rekmock::protocol::parse_quota;
using rekmock::protocol::Quota;
using rekmock::protocol::ThroughputQuotas;
using rekmock::protocol::TokenBucket;

namespace {

const std::vector<std::string_view> kOperations{"GetMediaAnalysisJob", "ListMediaAnalysisJobs",
                                                "StartMediaAnalysisJob"};
const TokenBucket::Clock::time_point kT0{};

}  // namespace

TEST_SUITE("throughput_quotas") {
    TEST_CASE("a bucket holds its burst, then refills at its rate, never above the burst") {
        TokenBucket bucket(2, 2, kT0);
        CHECK(bucket.take(kT0));
        CHECK(bucket.take(kT0));
        CHECK(!bucket.take(kT0));
        CHECK(!bucket.take(kT0 + 499ms));
        CHECK(bucket.take(kT0 + 500ms));
        CHECK(!bucket.take(kT0 + 500ms));
        // An hour idle fills it to its burst only.
        CHECK(bucket.take(kT0 + 1h));
        CHECK(bucket.take(kT0 + 1h));
        CHECK(!bucket.take(kT0 + 1h));
    }

    TEST_CASE("--tps values: OPERATION=N for an operation the router serves and N above 0") {
        CHECK(parse_quota("StartMediaAnalysisJob=2", kOperations) ==
              Quota{"StartMediaAnalysisJob", 2, 2});
        CHECK(parse_quota("GetMediaAnalysisJob=0.5", kOperations) ==
              Quota{"GetMediaAnalysisJob", 0.5, 1});
        for (const char* bad :
             {"StartMediaAnalysisJob", "StartMediaAnalysisJob=", "StartMediaAnalysisJob=0",
              "StartMediaAnalysisJob=-1", "StartMediaAnalysisJob=x", "StartMediaAnalysisJob=1x",
              "StartMediaAnalysisJob=inf", "StartMediaAnalysisJob=nan", "DetectLabels=1", "*=1",
              "=1", "StartMediaAnalysisJob=1000001"}) {
            CHECK_MESSAGE(!parse_quota(bad, kOperations), bad);
        }
    }

    TEST_CASE("each account and region has a bucket of its own, and refusals are counted") {
        ThroughputQuotas quotas({{"StartMediaAnalysisJob", 1, 1}});
        const Scope a{"111122223333", "us-east-1"};
        const Scope b{"111122223333", "eu-west-1"};
        CHECK(quotas.admit(a, "StartMediaAnalysisJob", kT0));
        CHECK(!quotas.admit(a, "StartMediaAnalysisJob", kT0));
        CHECK(quotas.admit(b, "StartMediaAnalysisJob", kT0));
        CHECK(quotas.admit(a, "ListMediaAnalysisJobs", kT0));
        CHECK(quotas.admit(a, "StartMediaAnalysisJob", kT0 + 1s));
        const auto listed = quotas.list();
        REQUIRE(listed.size() == 1);
        CHECK(listed[0].throttled == 1);
    }

    TEST_CASE("set replaces a quota with full buckets, remove and clear drop them") {
        ThroughputQuotas quotas({{"StartMediaAnalysisJob", 1, 1}});
        const Scope scope;
        CHECK(quotas.admit(scope, "StartMediaAnalysisJob", kT0));
        CHECK(!quotas.admit(scope, "StartMediaAnalysisJob", kT0));
        quotas.set({"StartMediaAnalysisJob", 5, 3});
        for (int i = 0; i < 3; ++i) {
            CHECK(quotas.admit(scope, "StartMediaAnalysisJob", kT0));
        }
        CHECK(!quotas.admit(scope, "StartMediaAnalysisJob", kT0));
        quotas.set({"GetMediaAnalysisJob", 1, 1});
        CHECK(quotas.list().size() == 2);
        CHECK(quotas.remove("GetMediaAnalysisJob"));
        CHECK(!quotas.remove("GetMediaAnalysisJob"));
        CHECK(quotas.clear() == 1);
        CHECK(quotas.admit(scope, "StartMediaAnalysisJob", kT0));
        CHECK(quotas.admit(scope, "StartMediaAnalysisJob", kT0));
    }

    TEST_CASE("restore_defaults puts the command line's quotas back, buckets full") {
        ThroughputQuotas quotas({{"ListMediaAnalysisJobs", 1, 1}});
        CHECK(quotas.admit(Scope{}, "ListMediaAnalysisJobs", kT0));
        quotas.clear();
        quotas.set({"GetMediaAnalysisJob", 1, 1});
        quotas.restore_defaults();
        const auto listed = quotas.list();
        REQUIRE(listed.size() == 1);
        CHECK(listed[0].quota.operation == "ListMediaAnalysisJobs");
        CHECK(listed[0].throttled == 0);
        CHECK(quotas.admit(Scope{}, "ListMediaAnalysisJobs", kT0));
        CHECK(quotas.admit(Scope{}, "GetMediaAnalysisJob", kT0));
    }
}

TEST_SUITE("concurrency") {
    TEST_CASE("concurrent calls never take more tokens than a quota's burst") {
        ThroughputQuotas quotas({{"GetMediaAnalysisJob", 0.001, 100}});
        std::atomic<int> admitted{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 100; ++i) {
                    admitted += quotas.admit(Scope{}, "GetMediaAnalysisJob", kT0) ? 1 : 0;
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        CHECK(admitted == 100);
        CHECK(quotas.list()[0].throttled == 300);
    }
}
