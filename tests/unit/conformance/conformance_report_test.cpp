// The report: the table's rows and summary, the JSON document CI reads, and the exit status.

#include "conformance_report.hpp"

#include <doctest/doctest.h>

using nlohmann::json;
using rekmock::conformance::CallReport;
using rekmock::conformance::ConformanceReport;
using rekmock::conformance::exit_status;
using rekmock::conformance::report_json;
using rekmock::conformance::report_table;
using rekmock::conformance::ScenarioKind;
using rekmock::conformance::summarise;
using rekmock::conformance::summary_line;

namespace {

ConformanceReport sample() {
    ConformanceReport report;
    report.version = "0.1.0";
    report.reference = "https://rekognition.eu-west-1.amazonaws.com";
    report.candidate = "http://127.0.0.1:9595";
    report.region = "eu-west-1";
    report.scenario = ScenarioKind::ReadOnly;
    CallReport same;
    same.name = "GetMediaAnalysisJob of an unknown JobId";
    same.operation = "GetMediaAnalysisJob";
    same.request = json{{"JobId", "0"}};
    same.reference_answer = same.candidate_answer = "400 ResourceNotFoundException";
    CallReport different;
    different.name = "ListMediaAnalysisJobs MaxResults 1, every page";
    different.operation = "ListMediaAnalysisJobs";
    different.request = json{{"MaxResults", 1}};
    different.reference_answer = "3 pages, 3 jobs";
    different.candidate_answer = "1 page, 3 jobs";
    different.comparison.differences = {{"last page", "1 to MaxResults jobs, no NextToken",
                                         "more than MaxResults jobs, no NextToken"},
                                        {"jobs.CreationTimestamp", "number", "string"}};
    different.comparison.notes = {"jobs.JobName: only in the reference's answers, not compared",
                                  "jobs.JobName: only in the reference's answers, not compared"};
    CallReport skipped;
    skipped.name = "GetMediaAnalysisJob of the newest job listed";
    skipped.compared = false;
    skipped.comparison.notes = {"not compared: the candidate lists no job"};
    report.calls = {same, different, skipped};
    return report;
}

}  // namespace

TEST_SUITE("conformance_report") {
    TEST_CASE("the table shows each call's result, differences and why one was not compared") {
        const std::string table = report_table(sample());
        CHECK(
            table.starts_with("rekognition-mock conformance, read-only scenario, region "
                              "eu-west-1\n  reference: https://rekognition.eu-west-1."
                              "amazonaws.com\n  candidate: http://127.0.0.1:9595\n\n"));
        CHECK(table.find("GetMediaAnalysisJob of an unknown JobId         same\n") !=
              std::string::npos);
        CHECK(table.find("ListMediaAnalysisJobs MaxResults 1, every page  2 differences\n"
                         "    answered: reference 3 pages, 3 jobs; candidate 1 page, 3 jobs\n"
                         "    - last page: reference 1 to MaxResults jobs, no NextToken, "
                         "candidate more than MaxResults jobs, no NextToken\n"
                         "    - jobs.CreationTimestamp: reference number, candidate string\n"
                         "GetMediaAnalysisJob") != std::string::npos);
        CHECK(table.find("not compared\n    note: not compared: the candidate lists no job\n") !=
              std::string::npos);
        CHECK(table.ends_with("\n3 calls: 1 same, 1 different (2 differences), 1 not compared\n"));
    }

    TEST_CASE("the JSON document holds every call, and the exit status says if one differs") {
        const ConformanceReport report = sample();
        const json document = report_json(report);
        CHECK(document.at("reference") == report.reference);
        CHECK(document.at("scenario") == "read-only");
        CHECK(document.at("version") == "0.1.0");
        REQUIRE(document.at("calls").size() == 3);
        const json& different = document["calls"][1];
        CHECK(different.at("result") == "different");
        CHECK(different.at("request") == json{{"MaxResults", 1}});
        CHECK(different.at("differences")[1] == json{{"what", "jobs.CreationTimestamp"},
                                                     {"reference", "number"},
                                                     {"candidate", "string"}});
        CHECK(different.at("notes").size() == 1);
        CHECK(document["calls"][0].at("result") == "same");
        CHECK(document["calls"][2].at("result") == "not compared");
        CHECK(document.at("summary") == json{{"calls", 3},
                                             {"same", 1},
                                             {"different", 1},
                                             {"not compared", 1},
                                             {"differences", 2}});
        CHECK(exit_status(summarise(report.calls)) == 1);
        CHECK(exit_status(summarise({report.calls[0], report.calls[2]})) == 0);
        CHECK(summary_line(summarise({report.calls[0]})) ==
              "1 call: 1 same, 0 different (0 differences), 0 not compared");
    }
}
