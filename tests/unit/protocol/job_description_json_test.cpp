#include "job_description_json.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "protocol_error.hpp"
#include "service_error.hpp"
#include "test_jobs.hpp"

using rekmock::MediaAnalysisJob;
using rekmock::protocol::decode_job_description;
using rekmock::protocol::encode_job_description;
using rekmock::protocol::Json;
using rekmock::protocol::ProtocolError;
using rekmock::service::ErrorKind;
using rekmock::service::ServiceError;
using rekmock::testing::at_millis;
using rekmock::testing::make_job;
using OJson = nlohmann::ordered_json;

namespace {

std::vector<std::string> keys_of(const OJson& object) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) {
        keys.push_back(item.key());
    }
    return keys;
}

bool contains_null(const OJson& value) {
    if (value.is_null()) {
        return true;
    }
    if (value.is_structured()) {
        for (const auto& child : value) {
            if (contains_null(child)) {
                return true;
            }
        }
    }
    return false;
}

// The wire text of `job` read back as a request body would be.
Json wire(const MediaAnalysisJob& job) {
    return Json::parse(encode_job_description(job));
}

// The wire text of `job` read back in member order.
OJson encoded(const MediaAnalysisJob& job) {
    return OJson::parse(encode_job_description(job));
}

const MediaAnalysisJob& full_job() {
    static const MediaAnalysisJob job = rekmock::testing::rich_jobs().front();
    return job;
}

std::string service_error_message(const std::function<void()>& action, ErrorKind& kind) {
    try {
        action();
    } catch (const ServiceError& e) {
        kind = e.kind();
        return e.what();
    }
    return "<no ServiceError>";
}

const char* const kMinimalJson = R"({
    "JobId": "j1",
    "OperationsConfig": {},
    "Status": "SUCCEEDED",
    "CreationTimestamp": 1727784000.25,
    "Input": {"S3Object": {}},
    "OutputConfig": {"S3Bucket": "out-bucket"}
})";

}  // namespace

TEST_SUITE("job_description_json") {
    TEST_CASE("members appear in the API model's order") {
        MediaAnalysisJob job = full_job();
        job.failure_details = rekmock::MediaAnalysisJobFailureDetails{
            rekmock::MediaAnalysisJobFailureCode::InternalError, "message"};
        const OJson out = encoded(job);
        CHECK(keys_of(out) == std::vector<std::string>{"JobId", "JobName", "OperationsConfig",
                                                       "Status", "FailureDetails",
                                                       "CreationTimestamp", "CompletionTimestamp",
                                                       "Input", "OutputConfig", "KmsKeyId",
                                                       "Results", "ManifestSummary"});
        CHECK(keys_of(out["OperationsConfig"]["DetectModerationLabels"]) ==
              std::vector<std::string>{"MinConfidence", "ProjectVersion"});
        CHECK(keys_of(out["FailureDetails"]) == std::vector<std::string>{"Code", "Message"});
        CHECK(keys_of(out["Input"]["S3Object"]) ==
              std::vector<std::string>{"Bucket", "Name", "Version"});
        CHECK(keys_of(out["OutputConfig"]) == std::vector<std::string>{"S3Bucket", "S3KeyPrefix"});
        CHECK(keys_of(out["Results"]) == std::vector<std::string>{"S3Object", "ModelVersions"});
        CHECK(keys_of(out["ManifestSummary"]) == std::vector<std::string>{"S3Object"});
    }

    TEST_CASE("a full job encodes every member with its value") {
        const OJson out = encoded(full_job());
        const OJson expected = OJson::parse(R"({
            "JobId": "full-job",
            "JobName": "everything.set_here-1",
            "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 60.25,
                "ProjectVersion": "arn:aws:rekognition:us-east-1:111122223333:project/my-project/version/my-version/1700000000000"}},
            "Status": "SUCCEEDED",
            "CreationTimestamp": 1727784000.25,
            "CompletionTimestamp": 1727784123.456,
            "Input": {"S3Object": {"Bucket": "input-bucket", "Name": "manifests/a.jsonl",
                                   "Version": "v3.Lk_x"}},
            "OutputConfig": {"S3Bucket": "output-bucket", "S3KeyPrefix": "results/"},
            "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "Results": {"S3Object": {"Bucket": "output-bucket",
                                     "Name": "results/full-job/results.jsonl", "Version": "rv1"},
                        "ModelVersions": {"Moderation": "7.0"}},
            "ManifestSummary": {"S3Object": {"Bucket": "output-bucket",
                                             "Name": "results/full-job/manifest-summary.json",
                                             "Version": "mv1"}}
        })");
        CHECK(out == expected);
    }

    TEST_CASE("absent members are omitted and null is never emitted") {
        const MediaAnalysisJob minimal = make_job("j1", 1727784000250);
        const OJson out = encoded(minimal);
        CHECK(keys_of(out) == std::vector<std::string>{"JobId", "OperationsConfig", "Status",
                                                       "CreationTimestamp", "Input",
                                                       "OutputConfig"});
        CHECK(out["OperationsConfig"] == OJson::object());
        CHECK(keys_of(out["OutputConfig"]) == std::vector<std::string>{"S3Bucket"});
        for (const auto& job : rekmock::testing::rich_jobs()) {
            CAPTURE(job.job_id);
            const OJson tree = encoded(job);
            CHECK_FALSE(contains_null(tree));
            CHECK(tree.dump().find("null") == std::string::npos);
        }
    }

    TEST_CASE("empty structs encode as empty objects") {
        const auto jobs = rekmock::testing::rich_jobs();
        const OJson bare = encoded(jobs[1]);
        CHECK(bare["OperationsConfig"] == OJson::object());
        CHECK(bare["Input"] == OJson{{"S3Object", OJson::object()}});

        const OJson failed = encoded(jobs[2]);
        CHECK(failed["OperationsConfig"] == OJson{{"DetectModerationLabels", OJson::object()}});
        CHECK(failed["FailureDetails"] == OJson{{"Code", "THROTTLED"}});
        CHECK(failed["Input"]["S3Object"] == OJson{{"Bucket", "only-bucket"}});
        CHECK(failed["OutputConfig"]["S3KeyPrefix"] == "");

        const OJson models = encoded(jobs[3]);
        CHECK(models["Results"] == OJson{{"ModelVersions", {{"Moderation", "7.0"}}}});
        CHECK(models["FailureDetails"] == OJson{{"Message", "only a message"}});
        CHECK(models["OperationsConfig"]["DetectModerationLabels"]["MinConfidence"] == 0.0);

        const OJson empties = encoded(jobs[4]);
        CHECK(empties["FailureDetails"] == OJson::object());
        CHECK(empties["Results"] ==
              OJson{{"S3Object", OJson::object()}, {"ModelVersions", OJson::object()}});
        CHECK(empties["ManifestSummary"] == OJson{{"S3Object", OJson::object()}});

        const OJson hollow = encoded(jobs[5]);
        CHECK(hollow["Results"] == OJson::object());
        CHECK(hollow["ManifestSummary"] == OJson::object());
    }

    TEST_CASE("timestamps are epoch seconds with milliseconds") {
        MediaAnalysisJob job = make_job("j", 1726994660878);
        job.completion_timestamp = at_millis(1735689600000);
        const OJson out = encoded(job);
        CHECK(out["CreationTimestamp"].is_number());
        CHECK(out["CreationTimestamp"].get<double>() == 1726994660.878);
        CHECK(out["CompletionTimestamp"].get<double>() == 1735689600.0);
        const std::string text = out.dump();
        CHECK(text.find("\"CreationTimestamp\":1726994660.878") != std::string::npos);
        CHECK(text.find("\"CompletionTimestamp\":1735689600") != std::string::npos);
    }

    TEST_CASE("decode of encode gives the job back") {
        for (const auto& job : rekmock::testing::rich_jobs()) {
            CAPTURE(job.job_id);
            CHECK(decode_job_description(wire(job), "", false) == job);
            CHECK(decode_job_description(wire(job), "MediaAnalysisJobs[0].", true) == job);
        }
        for (const auto status : rekmock::all_job_status_names()) {
            for (const auto code : rekmock::all_failure_code_names()) {
                MediaAnalysisJob job = make_job("j", 1);
                job.status = *rekmock::parse_job_status(status);
                job.failure_details =
                    rekmock::MediaAnalysisJobFailureDetails{rekmock::parse_failure_code(code), "m"};
                CHECK(decode_job_description(wire(job), "", false) == job);
            }
        }
    }

    TEST_CASE("decode reads the minimal job and ISO timestamps when allowed") {
        Json object = Json::parse(kMinimalJson);
        const MediaAnalysisJob job = decode_job_description(object, "", false);
        CHECK(job.job_id == "j1");
        CHECK(job.status == rekmock::MediaAnalysisJobStatus::Succeeded);
        CHECK(job.creation_timestamp == at_millis(1727784000250));
        CHECK_FALSE(job.job_name.has_value());
        CHECK_FALSE(job.operations_config.detect_moderation_labels.has_value());
        CHECK(job.input.s3_object == rekmock::S3Object{});
        CHECK(job.output_config.s3_bucket == "out-bucket");
        CHECK_FALSE(job.results.has_value());

        object["CreationTimestamp"] = "2024-10-01T12:00:00.250000+00:00";
        CHECK(decode_job_description(object, "", true).creation_timestamp ==
              at_millis(1727784000250));
        CHECK_THROWS_AS(decode_job_description(object, "", false), ProtocolError);

        object["JobName"] = nullptr;  // null is absent
        CHECK_FALSE(decode_job_description(object, "", true).job_name.has_value());
    }

    TEST_CASE("missing required members are InvalidParameter errors naming the member") {
        for (const auto& [remove, member] : std::vector<std::pair<std::string, std::string>>{
                 {"/JobId", "Jobs[1].JobId"},
                 {"/OperationsConfig", "Jobs[1].OperationsConfig"},
                 {"/Status", "Jobs[1].Status"},
                 {"/CreationTimestamp", "Jobs[1].CreationTimestamp"},
                 {"/Input", "Jobs[1].Input"},
                 {"/Input/S3Object", "Jobs[1].Input.S3Object"},
                 {"/OutputConfig", "Jobs[1].OutputConfig"},
                 {"/OutputConfig/S3Bucket", "Jobs[1].OutputConfig.S3Bucket"}}) {
            INFO(std::string(remove));
            Json object = Json::parse(kMinimalJson);
            const Json::json_pointer pointer(remove);
            object[pointer.parent_pointer()].erase(pointer.back());
            ErrorKind kind = ErrorKind::InternalServerError;
            const std::string message = service_error_message(
                [&] { decode_job_description(object, "Jobs[1].", false); }, kind);
            CHECK(kind == ErrorKind::InvalidParameter);
            CHECK(message == "1 validation error detected: Value 'null' at '" + member +
                                 "' failed to satisfy constraint: Member must not be null");
        }
    }

    TEST_CASE("wrong JSON types below the top level are SerializationExceptions with paths") {
        for (const auto& [pointer_text, member] : std::vector<std::pair<std::string, std::string>>{
                 {"/Input/S3Object/Bucket", "J.Input.S3Object.Bucket"},
                 {"/OperationsConfig/DetectModerationLabels",
                  "J.OperationsConfig.DetectModerationLabels"},
                 {"/OutputConfig/S3KeyPrefix", "J.OutputConfig.S3KeyPrefix"},
                 {"/Results", "J.Results"},
                 {"/JobName", "J.JobName"}}) {
            INFO(std::string(pointer_text));
            Json object = Json::parse(kMinimalJson);
            object[Json::json_pointer(pointer_text)] = 5;
            std::string message;
            try {
                decode_job_description(object, "J.", false);
            } catch (const ProtocolError& e) {
                message = e.what();
            }
            CHECK(message.find("'" + member + "'") != std::string::npos);
        }
        Json confidence = Json::parse(kMinimalJson);
        confidence["OperationsConfig"]["DetectModerationLabels"]["MinConfidence"] = "90";
        CHECK_THROWS_AS(decode_job_description(confidence, "", false), ProtocolError);
    }

    TEST_CASE("an unknown enum value is InvalidParameter listing the allowed values") {
        SUBCASE("Status") {
            Json object = Json::parse(kMinimalJson);
            object["Status"] = "DONE";
            ErrorKind kind = ErrorKind::InternalServerError;
            const std::string message =
                service_error_message([&] { decode_job_description(object, "", false); }, kind);
            CHECK(kind == ErrorKind::InvalidParameter);
            CHECK(message ==
                  "1 validation error detected: Value 'DONE' at 'Status' failed to satisfy "
                  "constraint: Member must satisfy enum value set: [CREATED, QUEUED, IN_PROGRESS, "
                  "SUCCEEDED, FAILED]");
        }
        SUBCASE("FailureDetails.Code") {
            Json object = Json::parse(kMinimalJson);
            object["FailureDetails"] = {{"Code", "throttled"}};
            ErrorKind kind = ErrorKind::InternalServerError;
            const std::string message =
                service_error_message([&] { decode_job_description(object, "X.", false); }, kind);
            CHECK(kind == ErrorKind::InvalidParameter);
            CHECK(
                message ==
                "1 validation error detected: Value 'throttled' at 'X.FailureDetails.Code' failed "
                "to satisfy constraint: Member must satisfy enum value set: [INTERNAL_ERROR, "
                "INVALID_S3_OBJECT, INVALID_MANIFEST, INVALID_OUTPUT_CONFIG, INVALID_KMS_KEY, "
                "ACCESS_DENIED, RESOURCE_NOT_FOUND, RESOURCE_NOT_READY, THROTTLED]");
        }
    }

    TEST_CASE("the encoding is compact JSON, byte for byte what dump() writes for it") {
        auto jobs = rekmock::testing::rich_jobs();
        MediaAnalysisJob escapes = make_job("escapes", 1727784000001);
        escapes.job_name = "tab\there \"quoted\" caf\xC3\xA9 \x01";
        jobs.push_back(escapes);
        for (const auto& job : jobs) {
            CAPTURE(job.job_id);
            const std::string text = encode_job_description(job);
            CHECK(text == OJson::parse(text).dump());
        }
    }
}
