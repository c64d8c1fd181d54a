#include "operations.hpp"

#include <doctest/doctest.h>

#include <string>

#include "job_store.hpp"
#include "protocol_error.hpp"
#include "service_error.hpp"
#include "test_jobs.hpp"

using rekmock::protocol::find_operation;
using rekmock::protocol::Json;
using rekmock::protocol::OperationFn;
using rekmock::protocol::ProtocolError;
using rekmock::service::MediaAnalysisService;
using rekmock::service::ServiceError;
using rekmock::storage::JobStore;

TEST_SUITE("operations") {
    TEST_CASE("operations are found by their exact name") {
        CHECK((find_operation("ListMediaAnalysisJobs") != nullptr));
        for (const char* name :
             {"", "listMediaAnalysisJobs", "ListMediaAnalysisJobs ", "startMediaAnalysisJob",
              "RekognitionService.ListMediaAnalysisJobs"}) {
            INFO(std::string(name));
            CHECK((find_operation(name) == nullptr));
        }
    }

    TEST_CASE("ListMediaAnalysisJobs decodes, lists and encodes") {
        JobStore store(":memory:");
        std::vector<rekmock::MediaAnalysisJob> jobs;
        for (int i = 0; i < 3; ++i) {
            jobs.push_back(rekmock::testing::make_job("job-" + std::to_string(i), 1000 * (i + 1)));
        }
        store.put_all(jobs);
        MediaAnalysisService service(store);
        const OperationFn list = find_operation("ListMediaAnalysisJobs");
        REQUIRE((list != nullptr));

        const auto first = list(service, Json{{"MaxResults", 2}}, rekmock::Scope{});
        REQUIRE(first["MediaAnalysisJobs"].size() == 2);
        CHECK(first["MediaAnalysisJobs"][0]["JobId"] == "job-2");
        CHECK(first["MediaAnalysisJobs"][1]["JobId"] == "job-1");
        REQUIRE(first.contains("NextToken"));
        std::vector<std::string> keys;
        for (const auto& item : first.items()) {
            keys.push_back(item.key());
        }
        CHECK(keys == std::vector<std::string>{"MediaAnalysisJobs", "NextToken"});

        const auto second = list(
            service, Json{{"MaxResults", 2}, {"NextToken", first["NextToken"]}}, rekmock::Scope{});
        REQUIRE(second["MediaAnalysisJobs"].size() == 1);
        CHECK(second["MediaAnalysisJobs"][0]["JobId"] == "job-0");
        CHECK_FALSE(second.contains("NextToken"));

        const auto all = list(service, Json::object(), rekmock::Scope{});
        CHECK(all["MediaAnalysisJobs"].size() == 3);
        CHECK_FALSE(all.contains("NextToken"));

        CHECK_THROWS_AS(list(service, Json{{"MaxResults", "2"}}, rekmock::Scope{}), ProtocolError);
        CHECK_THROWS_AS(list(service, Json{{"NextToken", 5}}, rekmock::Scope{}), ProtocolError);
        CHECK_THROWS_AS(list(service, Json{{"MaxResults", 0}}, rekmock::Scope{}), ServiceError);
        CHECK_THROWS_AS(list(service, Json{{"NextToken", "nope"}}, rekmock::Scope{}), ServiceError);
        // Members the operation does not know are ignored, as AWS does.
        CHECK(
            list(service, Json{{"Unknown", true}}, rekmock::Scope{})["MediaAnalysisJobs"].size() ==
            3);
    }

    TEST_CASE("an empty store lists an empty array, not null") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        const auto out =
            find_operation("ListMediaAnalysisJobs")(service, Json::object(), rekmock::Scope{});
        CHECK(out.dump() == R"({"MediaAnalysisJobs":[]})");
    }
}
