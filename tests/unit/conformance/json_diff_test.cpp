// The shape diff: JSON types, member sets, values, arrays by their elements' merged shape, and the
// optional members of a job that two endpoints holding different jobs may disagree on.

#include "json_diff.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "job_members.hpp"

using nlohmann::json;
using rekmock::conformance::Comparison;
using rekmock::conformance::diff;
using rekmock::conformance::Difference;
using rekmock::conformance::DiffRules;
using rekmock::conformance::is_optional_job_member;
using rekmock::conformance::is_setup_dependent_job_member;
using rekmock::conformance::merge_shapes;
using rekmock::conformance::optional_job_members;
using rekmock::conformance::setup_dependent_job_members;
using rekmock::conformance::shape_of;
using rekmock::conformance::shown;

namespace {

Comparison compare(const json& reference, const json& candidate, const DiffRules& rules = {}) {
    Comparison out;
    diff(reference, candidate, "body", rules, out);
    return out;
}

json job(const std::string& id, const json& extra = json::object()) {
    json described{{"JobId", id},
                   {"OperationsConfig", {{"DetectModerationLabels", {{"MinConfidence", 50}}}}},
                   {"Status", "SUCCEEDED"},
                   {"CreationTimestamp", 1.7e9},
                   {"Input", {{"S3Object", {{"Bucket", "b"}, {"Name", "m.jsonl"}}}}},
                   {"OutputConfig", {{"S3Bucket", "out"}}}};
    described.update(extra);
    return described;
}

}  // namespace

TEST_SUITE("json_diff") {
    TEST_CASE("the same document, or numbers written otherwise, make no difference") {
        const json page{{"MediaAnalysisJobs", json::array({job("a")})}, {"NextToken", "t"}};
        const Comparison same = compare(page, page);
        CHECK(same.differences.empty());
        CHECK(same.notes.empty());
        CHECK(compare(json{{"MinConfidence", 50}}, json{{"MinConfidence", 50.0}})
                  .differences.empty());
    }

    TEST_CASE("a member's JSON type, a missing and an extra member, a value are each named") {
        const Comparison found =
            compare(json{{"CreationTimestamp", 1.7e9}, {"__type", "InvalidParameterException"}},
                    json{{"CreationTimestamp", "2023-11-14T22:13:20Z"}, {"JobArn", "arn:x"}});
        CHECK(found.differences ==
              std::vector<Difference>{{"body.CreationTimestamp", "number", "string"},
                                      {"body.__type", "InvalidParameterException", "absent"},
                                      {"body.JobArn", "absent", "arn:x"}});
        CHECK(compare(json{{"Status", "FAILED"}}, json{{"Status", "SUCCEEDED"}}).differences ==
              std::vector<Difference>{{"body.Status", "FAILED", "SUCCEEDED"}});
        CHECK(compare(json{{"a", {{"b", 1}}}}, json{{"a", {{"b", true}}}}).differences ==
              std::vector<Difference>{{"body.a.b", "number", "boolean"}});
        Comparison root;
        diff(json::object(), json::array(), "", {}, root);
        CHECK(root.differences == std::vector<Difference>{{"the answer", "object", "array"}});
    }

    TEST_CASE("arrays are compared by the shape of their elements, whatever their values") {
        const json reference{{"MediaAnalysisJobs", json::array({job("a"), job("b")})}};
        const json candidate{
            {"MediaAnalysisJobs",
             json::array({job("c", {{"CreationTimestamp", "2023-11-14"}}),
                          job("d", {{"Status", "FAILED"}}), job("e", {{"JobArn", "arn"}})})}};
        const Comparison found = compare(reference, candidate);
        CHECK(found.differences ==
              std::vector<Difference>{
                  {"body.MediaAnalysisJobs[].CreationTimestamp", "number", "number|string"},
                  {"body.MediaAnalysisJobs[].JobArn", "absent", "string"}});

        // A shape's scalar is its type name, told from a structure by that name.
        CHECK(compare(json{{"Jobs", json::array({1, 2})}},
                      json{{"Jobs", json::array({json{{"a", 1}}})}})
                  .differences == std::vector<Difference>{{"body.Jobs[]", "number", "object"}});

        const Comparison one_empty = compare(json{{"MediaAnalysisJobs", json::array()}}, reference);
        CHECK(one_empty.differences.empty());
        CHECK(one_empty.notes ==
              std::vector<std::string>{
                  "body.MediaAnalysisJobs: empty in the reference's answer, its elements not "
                  "compared"});
    }

    TEST_CASE("a shape merges its elements' members and types") {
        CHECK(shape_of(json::array({1, "x", 2.5})) == json::array({"number|string"}));
        CHECK(shape_of(json::array({json{{"a", 1}}, json{{"b", nullptr}}})) ==
              json::array({json{{"a", "number"}, {"b", "null"}}}));
        CHECK(shape_of(json::array()) == json::array());
        CHECK(merge_shapes("number|string", "boolean|number") == "boolean|number|string");
        CHECK(merge_shapes(json{{"a", "number"}}, "string") == "object|string");
        CHECK(shape_of(json{{"Jobs", json::array({json{{"T", 1}}, json{{"T", "x"}}})}}) ==
              json{{"Jobs", json::array({json{{"T", "number|string"}}})}});
    }

    TEST_CASE("the optional members of a job may be on one side only when the jobs differ") {
        CHECK(is_optional_job_member("JobName"));
        CHECK(is_optional_job_member("FailureDetails.Code"));
        CHECK(is_optional_job_member("Results.S3Object.Version"));
        CHECK(is_optional_job_member("ManifestSummary"));
        CHECK(is_optional_job_member("OperationsConfig.DetectModerationLabels.MinConfidence"));
        CHECK_FALSE(is_optional_job_member("Status"));
        CHECK_FALSE(is_optional_job_member("Input.S3Object"));
        CHECK_FALSE(is_optional_job_member("OutputConfig.S3Bucket"));
        CHECK_FALSE(is_optional_job_member("JobNameX"));
        CHECK_FALSE(is_optional_job_member("JobArn"));
        CHECK(is_setup_dependent_job_member("Results.S3Object.Version"));
        CHECK_FALSE(is_setup_dependent_job_member("Results.S3Object.Name"));

        const json reference{{"MediaAnalysisJobs",
                              json::array({job("a", {{"FailureDetails", {{"Code", "THROTTLED"}}},
                                                     {"Status", "FAILED"}})})}};
        const json candidate{
            {"MediaAnalysisJobs", json::array({job("b", {{"JobName", "n"}, {"JobArn", "x"}})})}};
        const Comparison found =
            compare(reference, candidate, optional_job_members("body.MediaAnalysisJobs[]"));
        CHECK(found.differences ==
              std::vector<Difference>{{"body.MediaAnalysisJobs[].JobArn", "absent", "string"}});
        CHECK(found.notes.size() == 2);
        // Not below the prefix: compared as any member.
        CHECK(compare(json{{"JobName", "n"}}, json::object(), optional_job_members("jobs"))
                  .differences.size() == 1);

        const Comparison started =
            compare(job("a", {{"Results", {{"S3Object", {{"Bucket", "o"}, {"Version", "v1"}}}}}}),
                    job("b", {{"Results", {{"S3Object", {{"Bucket", "o"}}}}}, {"JobName", "n"}}),
                    setup_dependent_job_members("body"));
        CHECK(started.differences ==
              std::vector<Difference>{{"body.JobId", "a", "b"}, {"body.JobName", "absent", "n"}});
        CHECK(started.notes.size() == 1);
    }

    TEST_CASE("values are shown as text, long ones shortened") {
        const json text = "plain";
        const json object{{"a", 1}};
        const json long_text = json::array({std::string(1000, 'x')});
        CHECK(shown(&text) == "plain");
        CHECK(shown(&object) == R"({"a":1})");
        CHECK(shown(nullptr) == "absent");
        CHECK(shown(&long_text).size() == 303);
    }
}
