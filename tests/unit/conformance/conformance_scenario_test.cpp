// The scenarios against in-memory endpoints: the calls they make (the read-only one starts no
// job), no difference between two endpoints that answer alike though they hold different jobs,
// each skew of another emulator named, jobs followed within a bounded wait, and a run stopped
// when an endpoint does not answer its first call or refuses the credentials.

#include "conformance_scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "fake_rekognition.hpp"
#include "start_violations.hpp"

using nlohmann::json;
using rekmock::aws::AwsResponse;
using rekmock::aws::AwsUnavailable;
using rekmock::conformance::CallReport;
using rekmock::conformance::Difference;
using rekmock::conformance::Endpoint;
using rekmock::conformance::run_scenario;
using rekmock::conformance::ScenarioAborted;
using rekmock::conformance::ScenarioKind;
using rekmock::conformance::ScenarioSettings;
using rekmock::conformance::start_violations;
using rekmock::testing::FakeRekognition;
using rekmock::testing::FakeSkews;

namespace {

ScenarioSettings full_settings(std::vector<std::chrono::milliseconds>* pauses = nullptr) {
    ScenarioSettings settings;
    settings.kind = ScenarioKind::Full;
    settings.manifest_bucket = "in";
    settings.manifest_key = "manifests/m.jsonl";
    settings.output_bucket = "out";
    settings.run_id = "0123456789abcdef";
    settings.follow.sleep = [pauses](std::chrono::milliseconds pause) {
        if (pauses != nullptr) {
            pauses->push_back(pause);
        }
    };
    return settings;
}

std::vector<Difference> all_differences(const std::vector<CallReport>& reports) {
    std::vector<Difference> found;
    for (const CallReport& report : reports) {
        found.insert(found.end(), report.comparison.differences.begin(),
                     report.comparison.differences.end());
    }
    return found;
}

// The differences of the row named `name`.
std::vector<Difference> differences_of(const std::vector<CallReport>& reports,
                                       const std::string& name) {
    for (const CallReport& report : reports) {
        if (report.name == name) {
            return report.comparison.differences;
        }
    }
    FAIL("no row " << name);
    return {};
}

bool contains(const std::vector<Difference>& differences, const Difference& wanted) {
    return std::find(differences.begin(), differences.end(), wanted) != differences.end();
}

std::string described(const std::vector<Difference>& differences) {
    std::string text;
    for (const Difference& difference : differences) {
        text += difference.what + ": " + difference.reference + " | " + difference.candidate + "\n";
    }
    return text;
}

}  // namespace

TEST_SUITE("conformance_scenario") {
    TEST_CASE("read-only: the calls made, none starting a job, and no difference between alikes") {
        FakeRekognition reference(5);
        FakeRekognition candidate(3);
        std::vector<std::string> heard;
        const std::vector<CallReport> reports =
            run_scenario({}, reference.endpoint(), candidate.endpoint(),
                         [&heard](const CallReport& report) { heard.push_back(report.name); });
        INFO(described(all_differences(reports)));
        CHECK(all_differences(reports).empty());
        CHECK(heard.size() == reports.size());
        CHECK(std::all_of(reports.begin(), reports.end(),
                          [](const CallReport& report) { return report.compared; }));
        CHECK(reference.started() == 0);
        CHECK(candidate.started() == 0);

        // The walks first, each to its end: 1 page of 100, 5 of 1, 3 of 2.
        const auto& calls = reference.calls();
        REQUIRE(calls.size() > 9);
        CHECK(calls[0] ==
              std::pair<std::string, json>{"ListMediaAnalysisJobs", json{{"MaxResults", 100}}});
        CHECK(calls[1].second == json{{"MaxResults", 1}});
        CHECK(calls[5].second == json{{"MaxResults", 1}, {"NextToken", "at-4"}});
        CHECK(calls[6].second == json{{"MaxResults", 2}});
        CHECK(calls[8].second == json{{"MaxResults", 2}, {"NextToken", "at-4"}});
        CHECK(reports[0].reference_answer == "1 page, 5 jobs");
        CHECK(reports[1].reference_answer == "5 pages, 5 jobs");
        CHECK(reports[1].candidate_answer == "3 pages, 3 jobs");

        std::set<std::string> names;
        std::size_t starts = 0;
        for (const CallReport& report : reports) {
            CHECK(names.insert(report.name).second);
            starts += report.operation == "StartMediaAnalysisJob" ? 1U : 0U;
        }
        CHECK(starts == start_violations().size());
        // Every Start sent is one of the violations, each refused.
        std::size_t sent = 0;
        for (const auto& [operation, body] : calls) {
            if (operation == "StartMediaAnalysisJob") {
                CHECK(body.dump().find("Rekognition_Mock_Conformance") != std::string::npos);
                ++sent;
            }
        }
        CHECK(sent == starts);
        for (const CallReport& report : reports) {
            if (report.operation == "StartMediaAnalysisJob") {
                CHECK(report.reference_answer == "400 InvalidParameterException");
            }
        }
        CHECK(names.count("GetMediaAnalysisJob of an unknown JobId") == 1);
        CHECK(names.count("ListMediaAnalysisJobs MaxResults 2 with the NextToken of MaxResults "
                          "1's page 1") == 1);
    }

    TEST_CASE("each skew of another emulator is named") {
        const auto run_against = [](FakeSkews skews) {
            FakeRekognition reference(5);
            FakeRekognition candidate(4, skews);
            return run_scenario({}, reference.endpoint(), candidate.endpoint());
        };
        const auto timestamps = run_against({.string_timestamps = true});
        INFO(described(all_differences(timestamps)));
        CHECK(
            contains(differences_of(timestamps, "ListMediaAnalysisJobs MaxResults 100, every page"),
                     {"jobs.CreationTimestamp", "number", "string"}));
        CHECK(contains(differences_of(timestamps, "GetMediaAnalysisJob of the newest job listed"),
                       {"answers.body.CreationTimestamp", "number", "string"}));

        const auto order = run_against({.oldest_first = true});
        CHECK(contains(differences_of(order, "ListMediaAnalysisJobs MaxResults 100, every page"),
                       {"newest first", "true", "false"}));

        const auto paging = run_against({.no_paging = true});
        CHECK(contains(differences_of(paging, "ListMediaAnalysisJobs MaxResults 1, every page"),
                       {"last page", "1 to MaxResults jobs, no NextToken",
                        "more than MaxResults jobs, no NextToken"}));

        const auto extra = run_against({.extra_member = true});
        CHECK(contains(differences_of(extra, "ListMediaAnalysisJobs MaxResults 2, every page"),
                       {"jobs.JobArn", "absent", "string"}));

        const auto untyped = run_against({.no_error_type = true});
        CHECK(contains(differences_of(untyped, "ListMediaAnalysisJobs MaxResults 0 (1 to 100)"),
                       {"body.__type", "InvalidParameterException", "absent"}));
        CHECK(contains(differences_of(untyped, "GetMediaAnalysisJob of an unknown JobId"),
                       {"body.__type", "ResourceNotFoundException", "absent"}));
    }

    TEST_CASE("full: jobs started alike, followed to their end and listed") {
        std::vector<std::chrono::milliseconds> pauses;
        FakeRekognition reference(2);
        FakeRekognition candidate(6);
        const std::vector<CallReport> reports =
            run_scenario(full_settings(&pauses), reference.endpoint(), candidate.endpoint());
        INFO(described(all_differences(reports)));
        CHECK(all_differences(reports).empty());
        // The Start on the manifest (once, then replayed), the one with the required members
        // only; the one on a missing manifest refused.
        CHECK(reference.started() == 2);
        CHECK(candidate.started() == 2);
        CHECK(pauses == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(500),
                                                               std::chrono::milliseconds(1000)});
        const auto row = [&reports](const std::string& name) -> const CallReport& {
            for (const CallReport& report : reports) {
                if (report.name == name) {
                    return report;
                }
            }
            FAIL("no row " << name);
            return reports.front();
        };
        const CallReport& started = row("StartMediaAnalysisJob on the manifest");
        CHECK(started.request.at("Input") ==
              json{{"S3Object", {{"Bucket", "in"}, {"Name", "manifests/m.jsonl"}}}});
        CHECK(started.request.at("ClientRequestToken") ==
              "rekognition-mock-conformance-0123456789abcdef");
        CHECK(row("StartMediaAnalysisJob with that ClientRequestToken and another JobName")
                  .reference_answer == "400 IdempotentParameterMismatchException");
        CHECK(row("StartMediaAnalysisJob on a manifest that does not exist").candidate_answer ==
              "400 InvalidS3ObjectException");
        CHECK(row("GetMediaAnalysisJob until it ends, of the job of: StartMediaAnalysisJob on "
                  "the manifest")
                  .reference_answer == "200, statuses seen: QUEUED, IN_PROGRESS, SUCCEEDED");
        CHECK(row("ListMediaAnalysisJobs MaxResults 100, the started jobs")
                  .comparison.differences.empty());

        FakeRekognition succeeding(1);
        FakeRekognition failing(1, {.jobs_fail = true});
        const std::vector<CallReport> failed =
            run_scenario(full_settings(), succeeding.endpoint(), failing.endpoint());
        const auto differences = differences_of(
            failed,
            "GetMediaAnalysisJob until it ends, of the job of: StartMediaAnalysisJob on the "
            "manifest");
        INFO(described(differences));
        CHECK(contains(differences, {"answers.body.Status", "SUCCEEDED", "FAILED"}));
        CHECK(contains(differences, {"answers.body.Results",
                                     "{\"ModelVersions\":{\"Moderation\":"
                                     "\"7.0\"},\"S3Object\":{\"Bucket\":"
                                     "\"out\",\"Name\":\"<JobId>-results."
                                     "jsonl\"}}",
                                     "absent"}));
    }

    TEST_CASE("the wait for jobs is bounded, its pauses growing to a ceiling") {
        std::vector<std::chrono::milliseconds> pauses;
        ScenarioSettings settings = full_settings(&pauses);
        settings.follow.max_pause = std::chrono::milliseconds(3000);
        settings.follow.patience = std::chrono::milliseconds(10'000);
        std::vector<std::string> said;
        settings.follow.waiting = [&said](const std::string& line) { said.push_back(line); };
        FakeRekognition reference(1, {}, 1000);
        FakeRekognition candidate(1, {}, 1000);
        const std::vector<CallReport> reports =
            run_scenario(settings, reference.endpoint(), candidate.endpoint());
        REQUIRE(said.size() == 5);
        CHECK(said[0] ==
              "jobs not ended after 0 s: reference QUEUED, QUEUED; candidate QUEUED, QUEUED");
        CHECK(said[4] ==
              "jobs not ended after 6 s: reference IN_PROGRESS, IN_PROGRESS; "
              "candidate IN_PROGRESS, IN_PROGRESS");
        using std::chrono::milliseconds;
        CHECK(pauses == std::vector<milliseconds>{milliseconds(500), milliseconds(1000),
                                                  milliseconds(2000), milliseconds(3000),
                                                  milliseconds(3000)});
        for (const CallReport& report : reports) {
            if (report.name.starts_with("GetMediaAnalysisJob until it ends")) {
                CHECK(report.reference_answer == "200, statuses seen: QUEUED, IN_PROGRESS");
            }
        }
    }

    TEST_CASE("no answer to the first call, or refused credentials, stop the run") {
        FakeRekognition fake(2);
        const Endpoint silent{"http://silent",
                              [](std::string_view, const std::string&) -> AwsResponse {
                                  throw AwsUnavailable("connection refused");
                              }};
        CHECK_THROWS_WITH_AS(run_scenario({}, fake.endpoint(), silent),
                             "the candidate http://silent did not answer: connection refused",
                             ScenarioAborted);
        const Endpoint refusing{"https://aws", [](std::string_view, const std::string&) {
                                    AwsResponse response;
                                    response.status = 403;
                                    response.body =
                                        R"({"__type": "UnrecognizedClientException",
                                            "message": "The security token is invalid."})";
                                    return response;
                                }};
        CHECK_THROWS_WITH_AS(run_scenario({}, refusing, fake.endpoint()),
                             "the reference https://aws refused ListMediaAnalysisJobs: HTTP 403 "
                             "UnrecognizedClientException: The security token is invalid.",
                             ScenarioAborted);

        const Endpoint expired{"https://aws", [](std::string_view, const std::string&) {
                                   AwsResponse response;
                                   response.status = 400;
                                   response.body = R"({"__type": "ExpiredTokenException"})";
                                   return response;
                               }};
        CHECK_THROWS_WITH_AS(run_scenario({}, expired, fake.endpoint()),
                             "the reference https://aws refused ListMediaAnalysisJobs: HTTP 400 "
                             "ExpiredTokenException",
                             ScenarioAborted);

        // Later, a call without an answer is a difference of its row.
        FakeRekognition reference(2);
        FakeRekognition behind(2);
        int calls = 0;
        const Endpoint flaky{"http://flaky",
                             [&](std::string_view operation, const std::string& body) {
                                 if (++calls == 20) {
                                     throw AwsUnavailable("reset by peer");
                                 }
                                 return behind.endpoint().call(operation, body);
                             }};
        const std::vector<CallReport> reports = run_scenario({}, reference.endpoint(), flaky);
        const std::vector<Difference> differences = all_differences(reports);
        REQUIRE(differences.size() == 1);
        CHECK(differences.front().what == "HTTP status");
        CHECK(differences.front().candidate == "no answer");
    }
}
