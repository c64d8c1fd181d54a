// Answers as conformance compares them: what is normalised away (ids, timestamps, tokens,
// messages' wording), what is kept (status, headers' presence, members and their JSON types),
// and how two answers of different statuses are compared.

#include "compared_answer.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using nlohmann::json;
using rekmock::aws::AwsResponse;
using rekmock::conformance::BodyView;
using rekmock::conformance::compare_answers;
using rekmock::conformance::compared_answer;
using rekmock::conformance::Comparison;
using rekmock::conformance::Difference;
using rekmock::conformance::error_type;
using rekmock::conformance::normalised_body;

namespace {

AwsResponse answer(unsigned status, const std::string& body, const std::string& request_id = "r1",
                   const std::string& content_type = "application/x-amz-json-1.1") {
    AwsResponse response;
    response.status = status;
    if (!content_type.empty()) {
        response.headers.emplace_back("Content-Type", content_type);
    }
    if (!request_id.empty()) {
        response.headers.emplace_back("x-amzn-RequestId", request_id);
    }
    response.body = body;
    return response;
}

const char* const kJob = R"({
    "JobId": "861a0645d98ef88efb75477628c011c0",
    "JobName": "n", "Status": "SUCCEEDED",
    "CreationTimestamp": 1700000000.123, "CompletionTimestamp": "2023-11-14T22:13:20Z",
    "Input": {"S3Object": {"Bucket": "in", "Name": "m.jsonl", "Version": "v7"}},
    "FailureDetails": {"Code": "THROTTLED", "Message": "slow down"},
    "Results": {"S3Object": {"Bucket": "out",
        "Name": "p/861a0645d98ef88efb75477628c011c0-results.jsonl"}}})";

}  // namespace

TEST_SUITE("compared_answer") {
    TEST_CASE("values that must differ are normalised, their JSON types kept") {
        const json body = normalised_body(json::parse(kJob));
        CHECK(body.at("JobId") == "<JobId>");
        CHECK(body.at("CreationTimestamp") == 0);
        CHECK(body.at("CompletionTimestamp") == "<timestamp>");
        CHECK(body.at("Input").at("S3Object").at("Version") == "<version>");
        CHECK(body.at("Input").at("S3Object").at("Name") == "m.jsonl");
        CHECK(body.at("FailureDetails") == json{{"Code", "THROTTLED"}, {"Message", "<message>"}});
        CHECK(body.at("Results").at("S3Object").at("Name") == "p/<JobId>-results.jsonl");
        CHECK(body.at("Status") == "SUCCEEDED");

        const json page = normalised_body(json::parse(
            R"({"MediaAnalysisJobs": [{"JobId": "a", "Results": {"S3Object": {"Name": "a-r"}}},
                {"JobId": "b", "Results": {"S3Object": {"Name": "a-r"}}}],
                "NextToken": "tok"})"));
        CHECK(page.at("NextToken") == "<token>");
        // Each job's own id only.
        CHECK(page.at("MediaAnalysisJobs")[0]["Results"]["S3Object"]["Name"] == "<JobId>-r");
        CHECK(page.at("MediaAnalysisJobs")[1]["Results"]["S3Object"]["Name"] == "a-r");

        const json error = normalised_body(json::parse(
            R"({"__type": "InvalidParameterException", "Code": "InvalidParameterException",
                "Logref": "0d9b9aaf", "Message": "1 validation error detected", "Version": "x"})"));
        CHECK(error == json{{"__type", "InvalidParameterException"},
                            {"Code", "InvalidParameterException"},
                            {"Logref", "<logref>"},
                            {"Message", "<message>"},
                            {"Version", "x"}});
        // Not a string: kept, so its type is compared.
        CHECK(normalised_body(json{{"message", 5}}) == json{{"message", 5}});
    }

    TEST_CASE("an answer is its status, Content-Type, request id presence and body") {
        const json error =
            compared_answer(answer(400, R"({"__type": "X", "message": "m"})"), BodyView::Shape);
        CHECK(error == json{{"HTTP status", 400},
                            {"Content-Type", "application/x-amz-json-1.1"},
                            {"x-amzn-RequestId", "present"},
                            {"body", {{"__type", "X"}, {"message", "<message>"}}}});
        CHECK(error_type(error) == "X");

        const json shaped = compared_answer(answer(200, kJob, "", ""), BodyView::Shape);
        CHECK_FALSE(shaped.contains("Content-Type"));
        CHECK_FALSE(shaped.contains("x-amzn-RequestId"));
        CHECK(shaped.at("body").at("Status") == "string");
        CHECK(shaped.at("body").at("CreationTimestamp") == "number");
        CHECK(error_type(shaped).empty());

        CHECK(compared_answer(answer(200, kJob), BodyView::Values).at("body").at("Status") ==
              "SUCCEEDED");
        CHECK(
            compared_answer(answer(502, "<html>bad gateway</html>"), BodyView::Values).at("body") ==
            "<not JSON: 24 bytes>");
        CHECK(compared_answer(answer(200, ""), BodyView::Values).at("body") == "<empty>");
    }

    TEST_CASE("two answers differ by status and headers before their bodies are compared") {
        const json refused = compared_answer(
            answer(400, R"({"__type": "InvalidParameterException", "Message": "a"})"),
            BodyView::Values);
        const json accepted =
            compared_answer(answer(200, R"({"MediaAnalysisJobs": []})", ""), BodyView::Values);
        const Comparison found = compare_answers(refused, accepted);
        CHECK(found.differences ==
              std::vector<Difference>{{"HTTP status", "400 InvalidParameterException", "200"},
                                      {"x-amzn-RequestId", "present", "absent"}});

        const json other_wording = compared_answer(
            answer(400, R"({"__type": "InvalidParameterException", "Message": "b"})", "r2"),
            BodyView::Values);
        CHECK(compare_answers(refused, other_wording).differences.empty());

        const json untyped = compared_answer(answer(400, R"({"Message": "b"})", "r2", "text/plain"),
                                             BodyView::Values);
        CHECK(compare_answers(refused, untyped).differences ==
              std::vector<Difference>{{"Content-Type", "application/x-amz-json-1.1", "text/plain"},
                                      {"body.__type", "InvalidParameterException", "absent"}});
    }
}
