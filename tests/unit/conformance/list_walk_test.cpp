// A List walk's facts: page kinds relative to MaxResults, the order of jobs, each job once, the
// same jobs as another page size, and how two walks' facts compare when the endpoints hold
// different numbers of jobs.

#include "list_walk.hpp"

#include <doctest/doctest.h>

#include <tuple>

#include "fake_rekognition.hpp"

using nlohmann::json;
using rekmock::aws::AwsResponse;
using rekmock::conformance::compare_facts;
using rekmock::conformance::Comparison;
using rekmock::conformance::Difference;
using rekmock::conformance::Endpoint;
using rekmock::conformance::ListWalk;
using rekmock::conformance::newest_first;
using rekmock::conformance::page_kind;
using rekmock::conformance::walk_facts;
using rekmock::conformance::walk_list;
using rekmock::conformance::walk_rules;
using rekmock::testing::FakeRekognition;
using rekmock::testing::FakeSkews;

namespace {

json job_at(double created) {
    return json{{"CreationTimestamp", created}};
}

Comparison compare_walks(std::size_t reference_jobs, std::size_t candidate_jobs, int max_results,
                         FakeSkews skews = {}) {
    FakeRekognition reference(reference_jobs);
    FakeRekognition candidate(candidate_jobs, skews);
    const ListWalk ours = walk_list(reference.endpoint(), max_results);
    const ListWalk theirs = walk_list(candidate.endpoint(), max_results);
    return compare_facts(walk_facts(ours, nullptr), walk_facts(theirs, nullptr), walk_rules());
}

}  // namespace

TEST_SUITE("list_walk") {
    TEST_CASE("a page is told by its size relative to MaxResults and its NextToken") {
        CHECK(page_kind(2, 2, true, false) == "MaxResults jobs and a NextToken");
        CHECK(page_kind(1, 2, true, false) == "fewer than MaxResults jobs and a NextToken");
        CHECK(page_kind(0, 2, true, false) == "no jobs and a NextToken");
        CHECK(page_kind(2, 2, false, true) == "1 to MaxResults jobs, no NextToken");
        CHECK(page_kind(1, 2, false, true) == "1 to MaxResults jobs, no NextToken");
        CHECK(page_kind(0, 2, false, true) == "no jobs, no NextToken");
        CHECK(page_kind(3, 2, false, true) == "more than MaxResults jobs, no NextToken");
    }

    TEST_CASE("newest first reads epoch numbers and RFC 3339 text") {
        CHECK(newest_first({job_at(3), job_at(3), job_at(1.5)}) == true);
        CHECK(newest_first({job_at(1), job_at(2)}) == false);
        CHECK(newest_first({json{{"CreationTimestamp", "2024-10-01T12:00:00Z"}},
                            json{{"CreationTimestamp", "2024-09-30T12:00:00.5+00:00"}}}) == true);
        CHECK(newest_first({json{{"CreationTimestamp", "2024-09-30T12:00:00Z"}}, job_at(2e9)}) ==
              false);
        CHECK(newest_first({json{{"CreationTimestamp", "yesterday"}}}) == std::nullopt);
        CHECK(newest_first({json::object()}) == std::nullopt);
        CHECK(newest_first({}) == true);
    }

    TEST_CASE("a walk follows NextToken to the end, and its facts say what the pages did") {
        FakeRekognition fake(5);
        const ListWalk whole = walk_list(fake.endpoint(), 100);
        const ListWalk pairs = walk_list(fake.endpoint(), 2);
        CHECK(whole.pages.size() == 1);
        CHECK(pairs.pages.size() == 3);
        CHECK(pairs.jobs.size() == 5);
        const json facts = walk_facts(pairs, &whole);
        CHECK(facts.at("answers") == json{{"HTTP status", 200},
                                          {"Content-Type", "application/x-amz-json-1.1"},
                                          {"x-amzn-RequestId", "present"},
                                          {"body", json::object()}});
        CHECK(facts.at("pages before the last") == "MaxResults jobs and a NextToken");
        CHECK(facts.at("last page") == "1 to MaxResults jobs, no NextToken");
        CHECK(facts.at("newest first") == true);
        CHECK(facts.at("each job once") == true);
        CHECK(facts.at("the jobs of the MaxResults 100 walk, in its order") == true);
        CHECK(facts.at("jobs").at("CreationTimestamp") == "number");
        CHECK(facts.at("jobs").at("FailureDetails") ==
              json{{"Code", "string"}, {"Message", "string"}});
        CHECK_FALSE(walk_facts(whole, &whole).contains("pages before the last"));
        CHECK_FALSE(walk_facts(whole, &whole)
                        .contains("the jobs of the MaxResults 100 walk, in its order"));

        FakeRekognition empty(0);
        const json none = walk_facts(walk_list(empty.endpoint(), 1), nullptr);
        CHECK(none.at("empty list") == true);
        CHECK_FALSE(none.contains("last page"));
    }

    TEST_CASE("a walk stops at an error, and at a NextToken it was given before") {
        // Pages 1 and 2 give the same token; page 3 another, page 4 an error.
        const std::vector<std::pair<unsigned, std::string>> answers{
            {200, R"({"MediaAnalysisJobs": [], "NextToken": "b"})"},
            {200, R"({"MediaAnalysisJobs": [], "NextToken": "b"})"},
            {200, R"({"MediaAnalysisJobs": [], "NextToken": "a"})"},
            {400, R"({"__type": "ThrottlingException"})"}};
        std::size_t calls = 0;
        const Endpoint looping{"loop", [&](std::string_view, const std::string&) {
                                   AwsResponse page;
                                   std::tie(page.status, page.body) = answers.at(calls++);
                                   return page;
                               }};
        const ListWalk repeated = walk_list(looping, 1);
        CHECK(repeated.pages.size() == 2);
        CHECK(repeated.token_repeated);
        const ListWalk throttled = walk_list(looping, 1);
        CHECK(throttled.pages.size() == 2);
        CHECK(throttled.pages.back().status == 400);
        CHECK_FALSE(throttled.token_repeated);
        const json facts = walk_facts(throttled, nullptr);
        CHECK(facts.at("answers from page 2").at("body") ==
              json{{"__type", "ThrottlingException"}});
        CHECK(facts.at("empty list") == true);
    }

    TEST_CASE("walks over different numbers of jobs agree, and a skew does not") {
        for (const int max_results : {1, 2, 100}) {
            CAPTURE(max_results);
            CHECK(compare_walks(5, 4, max_results).differences.empty());
            CHECK(compare_walks(1, 7, max_results).differences.empty());
            CHECK(compare_walks(0, 3, max_results).differences.empty());
        }
        CHECK(compare_walks(5, 5, 2, {.oldest_first = true}).differences ==
              std::vector<Difference>{{"newest first", "true", "false"}});
        CHECK(compare_walks(5, 5, 2, {.no_paging = true}).differences ==
              std::vector<Difference>{{"last page", "1 to MaxResults jobs, no NextToken",
                                       "more than MaxResults jobs, no NextToken"}});
        CHECK(compare_walks(3, 3, 100, {.string_timestamps = true}).differences ==
              std::vector<Difference>{{"jobs.CreationTimestamp", "number", "string"}});
        // A job's optional members present on one side only are not differences.
        const Comparison optional = compare_walks(1, 3, 100);
        CHECK(optional.differences.empty());
        CHECK(optional.notes ==
              std::vector<std::string>{
                  "jobs.FailureDetails: only in the candidate's answers, not compared"});
    }

    TEST_CASE("a walk refused at its first page is compared by that answer alone") {
        FakeRekognition reference(3);
        FakeRekognition candidate(3);
        const ListWalk ok = walk_list(reference.endpoint(), 2);
        ListWalk refused;
        refused.max_results = 2;
        refused.pages.push_back(ok.pages.front());
        refused.pages.front().status = 500;
        refused.pages.front().body = R"({"__type": "InternalServerError"})";
        CHECK(compare_facts(walk_facts(ok, nullptr), walk_facts(refused, nullptr), walk_rules())
                  .differences ==
              std::vector<Difference>{{"answers.HTTP status", "200", "500 InternalServerError"}});
    }
}
