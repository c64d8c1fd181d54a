#include "operations.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "job_store.hpp"
#include "protocol_error.hpp"
#include "service_error.hpp"
#include "test_jobs.hpp"

using rekmock::protocol::find_operation;
using rekmock::protocol::Json;
using rekmock::protocol::OperationFn;
using rekmock::protocol::ProtocolError;
using rekmock::service::ErrorKind;
using rekmock::service::MediaAnalysisService;
using rekmock::service::ServiceError;
using rekmock::storage::JobStore;

namespace {

using OJson = nlohmann::ordered_json;

// Runs operation `fn` and reads its output back into a tree.
struct ParsedOperation {
    OperationFn fn;
    bool operator!=(std::nullptr_t) const { return fn != nullptr; }
    OJson operator()(MediaAnalysisService& service, const Json& body,
                     const rekmock::Scope& caller) const {
        rekmock::protocol::OperationContext context{service, nullptr};
        return OJson::parse(fn(context, body, caller));
    }
};

ParsedOperation parsed_operation(std::string_view name) {
    return ParsedOperation{find_operation(name)};
}

// A StartMediaAnalysisJob body with every member set.
Json start_body() {
    return Json::parse(R"({
        "ClientRequestToken": "tok-1",
        "JobName": "my-job",
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50.5}},
        "Input": {"S3Object": {"Bucket": "in-bucket", "Name": "manifests/a.jsonl",
                               "Version": "v1"}},
        "OutputConfig": {"S3Bucket": "out-bucket", "S3KeyPrefix": "results/"},
        "KmsKeyId": "alias/key"
    })");
}

std::vector<std::string> keys_of(const OJson& object) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) {
        keys.push_back(item.key());
    }
    return keys;
}

struct Caught {
    ErrorKind kind;
    std::string message;
};

std::optional<Caught> service_error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const ServiceError& e) {
        return Caught{e.kind(), e.what()};
    }
    return std::nullopt;
}

}  // namespace

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

    TEST_CASE("operation_names lists every operation served, in name order") {
        const auto names = rekmock::protocol::operation_names();
        CHECK(names == std::vector<std::string_view>{"GetMediaAnalysisJob", "ListMediaAnalysisJobs",
                                                     "StartMediaAnalysisJob"});
        for (const auto name : names) {
            CHECK((find_operation(name) != nullptr));
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
        const ParsedOperation list = parsed_operation("ListMediaAnalysisJobs");
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
            parsed_operation("ListMediaAnalysisJobs")(service, Json::object(), rekmock::Scope{});
        CHECK(out.dump() == R"({"MediaAnalysisJobs":[]})");
    }

    TEST_CASE("StartMediaAnalysisJob returns only the JobId, GetMediaAnalysisJob describes it") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        const ParsedOperation start = parsed_operation("StartMediaAnalysisJob");
        const ParsedOperation get = parsed_operation("GetMediaAnalysisJob");
        REQUIRE((start != nullptr));
        REQUIRE((get != nullptr));
        CHECK((find_operation("startMediaAnalysisJob") == nullptr));
        CHECK((find_operation("GetMediaAnalysisJob ") == nullptr));

        const rekmock::Scope scope{"111122223333", "eu-west-1"};
        const OJson started = start(service, start_body(), scope);
        CHECK(keys_of(started) == std::vector<std::string>{"JobId"});
        REQUIRE(started["JobId"].is_string());
        const std::string id = started["JobId"].get<std::string>();
        CHECK(id.size() == 64);
        // The same token and body again: the same job.
        CHECK(start(service, start_body(), scope)["JobId"] == id);
        CHECK(store.count() == 1);

        const OJson described = get(service, Json{{"JobId", id}}, scope);
        // Started with zero durations: SUCCEEDED at once, members in the model's order.
        CHECK(keys_of(described) ==
              std::vector<std::string>{"JobId", "JobName", "OperationsConfig", "Status",
                                       "CreationTimestamp", "CompletionTimestamp", "Input",
                                       "OutputConfig", "KmsKeyId", "Results", "ManifestSummary"});
        CHECK(described["JobId"] == id);
        CHECK(described["JobName"] == "my-job");
        CHECK(described["Status"] == "SUCCEEDED");
        CHECK(described["OperationsConfig"]["DetectModerationLabels"]["MinConfidence"] == 50.5);
        CHECK(described["Input"]["S3Object"]["Version"] == "v1");
        CHECK(described["OutputConfig"]["S3KeyPrefix"] == "results/");
        CHECK(described["KmsKeyId"] == "alias/key");
        CHECK(described["Results"]["S3Object"]["Name"] == "results/" + id + "-results.jsonl");
        CHECK(described["Results"]["ModelVersions"]["Moderation"] == "7.0");
        CHECK(described["ManifestSummary"]["S3Object"]["Name"] ==
              "results/" + id + "-manifest-summary.json");
        // It is the same document ListMediaAnalysisJobs shows.
        const OJson listed =
            parsed_operation("ListMediaAnalysisJobs")(service, Json::object(), scope);
        REQUIRE(listed["MediaAnalysisJobs"].size() == 1);
        CHECK(listed["MediaAnalysisJobs"][0] == described);

        // Other scopes do not see it.
        const auto error = service_error_of([&] {
            get(service, Json{{"JobId", id}}, rekmock::Scope{});
        });
        REQUIRE(error.has_value());
        CHECK(error->kind == ErrorKind::ResourceNotFound);
    }

    TEST_CASE("an empty DetectModerationLabels and absent optional members survive a start") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        const Json body = Json::parse(R"({
            "OperationsConfig": {"DetectModerationLabels": {}},
            "Input": {"S3Object": {"Bucket": "in-bucket", "Name": "a.jsonl"}},
            "OutputConfig": {"S3Bucket": "out-bucket"}
        })");
        const OJson started =
            parsed_operation("StartMediaAnalysisJob")(service, body, rekmock::Scope{});
        const OJson described = parsed_operation("GetMediaAnalysisJob")(
            service, Json{{"JobId", started["JobId"]}}, rekmock::Scope{});
        CHECK(described["OperationsConfig"].dump() == R"({"DetectModerationLabels":{}})");
        CHECK_FALSE(described.contains("JobName"));
        CHECK_FALSE(described.contains("KmsKeyId"));
        CHECK(described["OutputConfig"].dump() == R"({"S3Bucket":"out-bucket"})");
        CHECK(described["Results"]["S3Object"]["Name"] ==
              started["JobId"].get<std::string>() + "-results.jsonl");

        Json no_config = body;
        no_config["OperationsConfig"] = Json::object();
        const OJson other =
            parsed_operation("StartMediaAnalysisJob")(service, no_config, rekmock::Scope{});
        CHECK(parsed_operation("GetMediaAnalysisJob")(service, Json{{"JobId", other["JobId"]}},
                                                      rekmock::Scope{})["OperationsConfig"]
                  .dump() == "{}");
    }

    TEST_CASE("StartMediaAnalysisJob: a missing required member is InvalidParameter, not null") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        const ParsedOperation start = parsed_operation("StartMediaAnalysisJob");
        for (const auto& [remove, member] : std::vector<std::pair<std::string, std::string>>{
                 {"/OperationsConfig", "OperationsConfig"},
                 {"/Input", "Input"},
                 {"/Input/S3Object", "Input.S3Object"},
                 {"/Input/S3Object/Bucket", "Input.S3Object.Bucket"},
                 {"/Input/S3Object/Name", "Input.S3Object.Name"},
                 {"/OutputConfig", "OutputConfig"},
                 {"/OutputConfig/S3Bucket", "OutputConfig.S3Bucket"}}) {
            CAPTURE(remove);
            for (const bool as_null : {false, true}) {
                CAPTURE(as_null);
                Json body = start_body();
                const Json::json_pointer pointer(remove);
                if (as_null) {
                    body[pointer] = nullptr;
                } else {
                    body[pointer.parent_pointer()].erase(pointer.back());
                }
                const auto error =
                    service_error_of([&] { start(service, body, rekmock::Scope{}); });
                REQUIRE(error.has_value());
                CHECK(error->kind == ErrorKind::InvalidParameter);
                CHECK(error->message == "1 validation error detected: Value 'null' at '" + member +
                                            "' failed to satisfy constraint: Member must not be "
                                            "null");
            }
        }
        CHECK(store.count() == 0);
    }

    TEST_CASE("StartMediaAnalysisJob and GetMediaAnalysisJob: wrong JSON types are ProtocolError") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        const ParsedOperation start = parsed_operation("StartMediaAnalysisJob");
        const std::vector<std::pair<std::string, Json>> changes{
            {"/ClientRequestToken", 5},
            {"/JobName", true},
            {"/OperationsConfig", "config"},
            {"/OperationsConfig/DetectModerationLabels", Json::array()},
            {"/OperationsConfig/DetectModerationLabels/MinConfidence", "50"},
            {"/OperationsConfig/DetectModerationLabels/ProjectVersion", 1},
            {"/Input", Json::array()},
            {"/Input/S3Object", "s3://in-bucket/a"},
            {"/Input/S3Object/Bucket", 1},
            {"/Input/S3Object/Name", Json::object()},
            {"/Input/S3Object/Version", 2},
            {"/OutputConfig", 3},
            {"/OutputConfig/S3Bucket", Json::array({"out-bucket"})},
            {"/OutputConfig/S3KeyPrefix", false},
            {"/KmsKeyId", 4.5},
        };
        for (const auto& [pointer, value] : changes) {
            CAPTURE(pointer);
            Json body = start_body();
            body[Json::json_pointer(pointer)] = value;
            CHECK_THROWS_AS(start(service, body, rekmock::Scope{}), ProtocolError);
        }
        CHECK(store.count() == 0);

        const ParsedOperation get = parsed_operation("GetMediaAnalysisJob");
        CHECK_THROWS_AS(get(service, Json{{"JobId", 5}}, rekmock::Scope{}), ProtocolError);
        CHECK_THROWS_AS(get(service, Json{{"JobId", Json::array()}}, rekmock::Scope{}),
                        ProtocolError);
        const auto missing =
            service_error_of([&] { get(service, Json::object(), rekmock::Scope{}); });
        REQUIRE(missing.has_value());
        CHECK(missing->kind == ErrorKind::InvalidParameter);
        CHECK(missing->message.find("'JobId'") != std::string::npos);
        CHECK(missing->message.find("Member must not be null") != std::string::npos);
        const auto malformed = service_error_of([&] {
            get(service, Json{{"JobId", "a b"}}, rekmock::Scope{});
        });
        REQUIRE(malformed.has_value());
        CHECK(malformed->kind == ErrorKind::InvalidParameter);
        const auto unknown = service_error_of([&] {
            get(service, Json{{"JobId", "unknown"}}, rekmock::Scope{});
        });
        REQUIRE(unknown.has_value());
        CHECK(unknown->kind == ErrorKind::ResourceNotFound);
    }

    TEST_CASE("StartMediaAnalysisJob validates the decoded settings") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        Json body = start_body();
        body["OutputConfig"]["S3KeyPrefix"] = "has space";
        const auto error = service_error_of(
            [&] { parsed_operation("StartMediaAnalysisJob")(service, body, rekmock::Scope{}); });
        REQUIRE(error.has_value());
        CHECK(error->kind == ErrorKind::InvalidParameter);
        CHECK(error->message.find("'OutputConfig.S3KeyPrefix'") != std::string::npos);
        body = start_body();
        body["ClientRequestToken"] = "";
        const auto token = service_error_of(
            [&] { parsed_operation("StartMediaAnalysisJob")(service, body, rekmock::Scope{}); });
        REQUIRE(token.has_value());
        CHECK(token->message.find("'ClientRequestToken'") != std::string::npos);
        CHECK(store.count() == 0);
    }
}
