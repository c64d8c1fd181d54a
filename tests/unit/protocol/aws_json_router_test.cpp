#include "aws_json_router.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fault_injector.hpp"
#include "job_store.hpp"
#include "logger.hpp"
#include "media_analysis_service.hpp"
#include "recent_requests.hpp"
#include "request_journal.hpp"
#include "sqlite_database.hpp"
#include "test_jobs.hpp"
#include "uuid_check.hpp"

namespace http = boost::beast::http;
using rekmock::logging::Logger;
using rekmock::logging::LogLevel;
using rekmock::net::HttpRequest;
using rekmock::net::HttpResponse;
using rekmock::protocol::AwsJsonRouter;
using rekmock::service::MediaAnalysisService;
using rekmock::storage::JobStore;
using Json = nlohmann::json;

namespace {

// The router's answer without its delay, as a caller that only wants the bytes takes it.
HttpResponse handled(AwsJsonRouter& router, const HttpRequest& request) {
    return router.serve(request).response;
}

constexpr std::string_view kTarget = "RekognitionService.ListMediaAnalysisJobs";

// A router over its own store, logging to a scratch file instead of stderr.
struct Harness {
    explicit Harness(const std::string& path = ":memory:", LogLevel level = LogLevel::Info)
        : log_file(std::tmpfile(), &std::fclose),
          log(level, log_file.get()),
          store(path),
          service(store),
          router(service, log) {
        REQUIRE(log_file != nullptr);
    }

    // Every line logged so far, parsed.
    std::vector<Json> log_lines() {
        std::fflush(log_file.get());
        std::rewind(log_file.get());
        std::vector<Json> lines;
        std::string line;
        for (int c = std::fgetc(log_file.get()); c != EOF; c = std::fgetc(log_file.get())) {
            if (c == '\n') {
                lines.push_back(Json::parse(line));
                line.clear();
            } else {
                line.push_back(static_cast<char>(c));
            }
        }
        CHECK(line.empty());  // every line ends in a newline
        std::fseek(log_file.get(), 0, SEEK_END);
        return lines;
    }

    std::vector<Json> request_lines() {
        std::vector<Json> out;
        for (auto& line : log_lines()) {
            if (line["msg"] == "request") {
                out.push_back(line);
            }
        }
        return out;
    }

    std::unique_ptr<std::FILE, decltype(&std::fclose)> log_file;
    Logger log;
    JobStore store;
    MediaAnalysisService service;
    AwsJsonRouter router;
};

HttpRequest make_request(std::optional<std::string_view> target, std::string body,
                         unsigned version = 11) {
    HttpRequest request{http::verb::post, "/", version};
    request.set(http::field::host, "localhost:4566");
    request.set(http::field::content_type, "application/x-amz-json-1.1");
    if (target) {
        request.set("X-Amz-Target", *target);
    }
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
}

Json body_of(const HttpResponse& response) {
    return Json::parse(response.body());
}

std::string header(const HttpResponse& response, std::string_view name) {
    return std::string(response[name]);
}

// Checks an error response and returns its message.
std::string check_error(const HttpResponse& response, std::string_view type,
                        http::status status = http::status::bad_request) {
    CHECK(response.result() == status);
    CHECK(header(response, "Content-Type") == "application/x-amz-json-1.1");
    CHECK(header(response, "x-amzn-ErrorType").starts_with(type));
    CHECK(rekmock::testing::is_lowercase_uuid_v4(header(response, "x-amzn-RequestId")));
    const Json body = body_of(response);
    CHECK(body["__type"] == type);
    CHECK(body["Code"] == type);
    CHECK(body["Logref"].is_string());
    CHECK(body["Message"].is_string());
    return body.value("Message", "");
}

// A router with a fault injector and a request journal, over its own store.
struct HookedHarness {
    HookedHarness()
        : log_file(std::tmpfile(), &std::fclose),
          log(LogLevel::Info, log_file.get()),
          store(":memory:"),
          service(store),
          router(service, log, "000000000000", rekmock::protocol::RouterHooks{&faults, &journal}) {
        REQUIRE(log_file != nullptr);
    }

    std::unique_ptr<std::FILE, decltype(&std::fclose)> log_file;
    Logger log;
    JobStore store;
    MediaAnalysisService service;
    rekmock::protocol::FaultInjector faults;
    rekmock::protocol::RequestJournal journal;
    AwsJsonRouter router;
};

rekmock::protocol::FaultRule fault_rule(std::optional<rekmock::service::ErrorKind> error,
                                        std::int64_t count, std::string operation = "*",
                                        std::chrono::milliseconds latency = {}) {
    rekmock::protocol::FaultRule rule;
    rule.operation = std::move(operation);
    rule.error = error;
    rule.count = count;
    rule.latency = latency;
    return rule;
}

HttpRequest signed_request(std::string_view target, std::string body, const std::string& account,
                           const std::string& region) {
    HttpRequest request = make_request(target, std::move(body));
    request.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential=" + account +
                                                "/20240101/" + region +
                                                "/rekognition/aws4_request, "
                                                "SignedHeaders=host, Signature=abc");
    return request;
}

}  // namespace

TEST_SUITE("aws_json_router") {
    TEST_CASE("a missing or unknown target is UnknownOperationException") {
        Harness h;
        for (const std::optional<std::string_view> target :
             {std::optional<std::string_view>(), std::optional<std::string_view>(""),
              std::optional<std::string_view>("ListMediaAnalysisJobs"),
              std::optional<std::string_view>("RekognitionService.DescribeMediaAnalysisJob"),
              std::optional<std::string_view>("RekognitionService."),
              std::optional<std::string_view>("OtherService.ListMediaAnalysisJobs"),
              std::optional<std::string_view>("rekognitionservice.ListMediaAnalysisJobs")}) {
            CAPTURE(target.value_or("<none>"));
            check_error(handled(h.router, make_request(target, "{}")), "UnknownOperationException");
        }
    }

    TEST_CASE("an empty body is the same as {}") {
        Harness h;
        h.store.put_all({rekmock::testing::make_job("a", 1), rekmock::testing::make_job("b", 2)});
        const HttpResponse empty = handled(h.router, make_request(kTarget, ""));
        const HttpResponse braces = handled(h.router, make_request(kTarget, "{}"));
        CHECK(empty.result() == http::status::ok);
        CHECK(empty.body() == braces.body());
        CHECK(body_of(empty)["MediaAnalysisJobs"].size() == 2);
    }

    TEST_CASE("malformed bodies and wrongly typed members are SerializationException") {
        Harness h;
        for (const char* body :
             {"{", "not json", "[]", "[{}]", "null", "42", "\"{}\"", R"({"MaxResults":"ten"})",
              R"({"MaxResults":"10"})", R"({"MaxResults":1.5})", R"({"MaxResults":10.0})",
              R"({"MaxResults":2147483648})", R"({"NextToken":5})", R"({"NextToken":{}})",
              R"({"NextToken":["a"]})"}) {
            INFO(std::string(body));
            check_error(handled(h.router, make_request(kTarget, body)), "SerializationException");
        }
    }

    TEST_CASE("service errors keep their type and message") {
        Harness h;
        CHECK(check_error(handled(h.router, make_request(kTarget, R"({"MaxResults":0})")),
                          "InvalidParameterException")
                  .find("'MaxResults'") != std::string::npos);
        check_error(handled(h.router, make_request(kTarget, R"({"MaxResults":101})")),
                    "InvalidParameterException");
        check_error(handled(h.router, make_request(kTarget, R"({"NextToken":"garbage"})")),
                    "InvalidPaginationTokenException");
    }

    TEST_CASE("null members and an empty token are treated as absent") {
        Harness h;
        h.store.put_all({rekmock::testing::make_job("a", 1)});
        for (const char* body :
             {R"({"MaxResults":null,"NextToken":null})", R"({"NextToken":""})"}) {
            INFO(std::string(body));
            const HttpResponse response = handled(h.router, make_request(kTarget, body));
            CHECK(response.result() == http::status::ok);
            CHECK(body_of(response)["MediaAnalysisJobs"].size() == 1);
        }
    }

    TEST_CASE("a successful response has the JSON 1.1 content type and a request id") {
        Harness h;
        h.store.put_all(rekmock::testing::rich_jobs());
        const HttpResponse response =
            handled(h.router, make_request(kTarget, R"({"MaxResults":2})"));
        CHECK(response.result() == http::status::ok);
        CHECK(header(response, "Content-Type") == "application/x-amz-json-1.1");
        CHECK(rekmock::testing::is_lowercase_uuid_v4(header(response, "x-amzn-RequestId")));
        CHECK(response[http::field::content_length] == std::to_string(response.body().size()));
        CHECK(response.find("x-amzn-ErrorType") == response.end());
        const Json body = body_of(response);
        CHECK(body["MediaAnalysisJobs"].size() == 2);
        CHECK(body["NextToken"].is_string());

        // Following the token through the router walks the rest of the list.
        const HttpResponse next = handled(
            h.router,
            make_request(kTarget,
                         Json{{"NextToken", body["NextToken"]}, {"MaxResults", 100}}.dump()));
        CHECK(next.result() == http::status::ok);
        CHECK(body_of(next)["MediaAnalysisJobs"].size() == 4);
        CHECK_FALSE(body_of(next).contains("NextToken"));
    }

    TEST_CASE("request ids are distinct per call") {
        Harness h;
        std::set<std::string> ids;
        for (int i = 0; i < 20; ++i) {
            ids.insert(header(handled(h.router, make_request(kTarget, "{}")), "x-amzn-RequestId"));
            ids.insert(
                header(handled(h.router, make_request(std::nullopt, "{}")), "x-amzn-RequestId"));
        }
        CHECK(ids.size() == 40);
    }

    TEST_CASE("keep-alive and HTTP version mirror the request") {
        Harness h;
        SUBCASE("HTTP/1.1 default keeps the connection") {
            const HttpResponse response = handled(h.router, make_request(kTarget, "{}", 11));
            CHECK(response.version() == 11);
            CHECK(response.keep_alive());
        }
        SUBCASE("HTTP/1.1 with Connection: close") {
            HttpRequest request = make_request(kTarget, "{}", 11);
            request.keep_alive(false);
            const HttpResponse response = handled(h.router, request);
            CHECK_FALSE(response.keep_alive());
            // Also on an error response.
            HttpRequest bad = make_request(std::nullopt, "{}", 11);
            bad.keep_alive(false);
            CHECK_FALSE(handled(h.router, bad).keep_alive());
        }
        SUBCASE("HTTP/1.0 default closes the connection") {
            const HttpResponse response = handled(h.router, make_request(kTarget, "{}", 10));
            CHECK(response.version() == 10);
            CHECK_FALSE(response.keep_alive());
        }
        SUBCASE("HTTP/1.0 with Connection: keep-alive") {
            HttpRequest request = make_request(kTarget, "{}", 10);
            request.keep_alive(true);
            CHECK(handled(h.router, request).keep_alive());
            HttpRequest bad = make_request(kTarget, "{", 10);
            bad.keep_alive(true);
            CHECK(handled(h.router, bad).keep_alive());
        }
    }

    TEST_CASE("one log line per request with request_id, operation, status and latency") {
        Harness h;
        const HttpResponse ok = handled(h.router, make_request(kTarget, "{}"));
        const HttpResponse bad = handled(h.router, make_request(kTarget, R"({"MaxResults":0})"));
        const HttpResponse unknown =
            handled(h.router, make_request(std::string_view("RekognitionService.Nope"), "{}"));
        const auto lines = h.log_lines();
        REQUIRE(lines.size() == 3);
        const HttpResponse* responses[] = {&ok, &bad, &unknown};
        const char* operations[] = {"ListMediaAnalysisJobs", "ListMediaAnalysisJobs", "Nope"};
        const unsigned statuses[] = {200, 400, 400};
        for (std::size_t i = 0; i < 3; ++i) {
            CAPTURE(i);
            const Json& line = lines[i];
            CHECK(line["msg"] == "request");
            CHECK(line["level"] == "info");
            CHECK(line["request_id"] == header(*responses[i], "x-amzn-RequestId"));
            CHECK(line["operation"] == operations[i]);
            CHECK(line["status"] == statuses[i]);
            REQUIRE(line.contains("latency_ms"));
            CHECK(line["latency_ms"].is_number());
            CHECK(line["latency_ms"].get<double>() >= 0.0);
        }
        CHECK_FALSE(lines[0].contains("error_type"));
        CHECK(lines[1]["error_type"] == "InvalidParameterException");
        CHECK(lines[2]["error_type"] == "UnknownOperationException");
    }

    TEST_CASE("nothing is logged below the threshold") {
        Harness h(":memory:", LogLevel::Warn);
        handled(h.router, make_request(kTarget, "{}"));
        handled(h.router, make_request(std::nullopt, "{}"));
        CHECK(h.log_lines().empty());
    }

    TEST_CASE("a storage failure is a generic InternalServerError, logged in detail") {
        const rekmock::testing::TempPath path(".db");
        Harness h(path.str());
        h.store.put_all({rekmock::testing::make_job("a", 1)});
        {
            // Another connection breaks the store under the running server.
            rekmock::storage::Database other(path.str());
            other.exec("DROP TABLE media_analysis_jobs");
        }
        const HttpResponse response = handled(h.router, make_request(kTarget, "{}"));
        const std::string message =
            check_error(response, "InternalServerError", http::status::internal_server_error);
        CHECK(message == "Amazon Rekognition experienced a service issue. Try your call again.");
        CHECK(response.body().find("media_analysis_jobs") == std::string::npos);

        const auto lines = h.log_lines();
        REQUIRE(lines.size() == 2);
        CHECK(lines[0]["level"] == "error");
        CHECK(lines[0]["request_id"] == header(response, "x-amzn-RequestId"));
        CHECK(lines[0]["error"].get<std::string>().find("media_analysis_jobs") !=
              std::string::npos);
        CHECK(lines[1]["msg"] == "request");
        CHECK(lines[1]["status"] == 500);
        CHECK(lines[1]["error_type"] == "InternalServerError");
    }

    TEST_CASE("odd requests still get a full AWS response, never the bare fallback") {
        Harness h;
        h.store.put_all({rekmock::testing::make_job("a", 1)});
        const std::vector<std::pair<std::string, std::string>> requests{
            {"RekognitionService.\xff\xfe", "{}"},
            {"RekognitionService.List\x01Jobs", "{}"},
            {std::string(kTarget), "{\"NextToken\":\"\\u0000\"}"},
            {std::string(kTarget), "{\"NextToken\":\"\xc3\x28\"}"},
            {std::string(kTarget), "{\"MaxResults\":1e400}"},
            {std::string(kTarget), "{\"MaxResults\":-0}"},
            {std::string(kTarget), "{\"MaxResults\":18446744073709551616}"},
            {std::string(kTarget), std::string(10000, '[') + std::string(10000, ']')},
            {std::string(kTarget), "{\"NextToken\":\"" + std::string(5000, 'A') + "\"}"},
        };
        for (const auto& [target, body] : requests) {
            INFO(target);
            INFO(body.substr(0, 60));
            const HttpResponse response = handled(h.router, make_request(target, body));
            CHECK(rekmock::testing::is_lowercase_uuid_v4(header(response, "x-amzn-RequestId")));
            CHECK(header(response, "Content-Type") == "application/x-amz-json-1.1");
            CHECK(Json::parse(response.body(), nullptr, false).is_object());
        }
    }

    TEST_CASE("reject answers a SerializationException with the given status and closes") {
        Harness h;
        const HttpResponse response =
            h.router.reject(http::status::payload_too_large, "body too large", 11);
        CHECK(check_error(response, "SerializationException", http::status::payload_too_large) ==
              "body too large");
        CHECK_FALSE(response.keep_alive());
        const auto lines = h.log_lines();
        REQUIRE(lines.size() == 1);
        CHECK(lines[0]["request_id"] == header(response, "x-amzn-RequestId"));
        CHECK(lines[0]["status"] == 413);
    }

    TEST_CASE("the Authorization header picks the caller's account and region") {
        Harness h;
        const auto with_auth = [](std::string_view operation, const std::string& body,
                                  const std::string& access_key, const std::string& region) {
            HttpRequest request =
                make_request("RekognitionService." + std::string(operation), body);
            request.set(http::field::authorization,
                        "AWS4-HMAC-SHA256 Credential=" + access_key + "/20240101/" + region +
                            "/rekognition/aws4_request, SignedHeaders=host;x-amz-date, "
                            "Signature=abc");
            return request;
        };
        const std::string start_body = R"({
            "OperationsConfig": {},
            "Input": {"S3Object": {"Bucket": "in-bucket", "Name": "a.jsonl"}},
            "OutputConfig": {"S3Bucket": "out-bucket"}
        })";
        const HttpResponse started = handled(
            h.router, with_auth("StartMediaAnalysisJob", start_body, "111122223333", "eu-west-1"));
        REQUIRE(started.result() == http::status::ok);
        const std::string id = body_of(started)["JobId"].get<std::string>();
        REQUIRE(h.store.find(rekmock::Scope{"111122223333", "eu-west-1"}, id).has_value());

        const auto listed = [&](HttpRequest request) {
            const HttpResponse response = handled(h.router, request);
            REQUIRE(response.result() == http::status::ok);
            return body_of(response)["MediaAnalysisJobs"];
        };
        const Json mine =
            listed(with_auth("ListMediaAnalysisJobs", "{}", "111122223333", "eu-west-1"));
        REQUIRE(mine.size() == 1);
        CHECK(mine[0]["JobId"] == id);
        CHECK(
            listed(with_auth("ListMediaAnalysisJobs", "{}", "444455556666", "eu-west-1")).empty());
        CHECK(
            listed(with_auth("ListMediaAnalysisJobs", "{}", "111122223333", "us-east-1")).empty());
        CHECK(listed(with_auth("ListMediaAnalysisJobs", "{}", "AKIDEXAMPLE", "eu-west-1")).empty());
        CHECK(listed(make_request(kTarget, "{}")).empty());

        const HttpResponse got =
            handled(h.router, with_auth("GetMediaAnalysisJob", Json{{"JobId", id}}.dump(),
                                        "111122223333", "eu-west-1"));
        CHECK(got.result() == http::status::ok);
        CHECK(body_of(got)["JobId"] == id);
        check_error(handled(h.router, with_auth("GetMediaAnalysisJob", Json{{"JobId", id}}.dump(),
                                                "444455556666", "eu-west-1")),
                    "ResourceNotFoundException");

        // A non-numeric key acts in the router's default account, in the header's region.
        const HttpResponse defaulted = handled(
            h.router, with_auth("StartMediaAnalysisJob", start_body, "AKIDEXAMPLE", "ap-south-1"));
        REQUIRE(defaulted.result() == http::status::ok);
        CHECK(h.store
                  .find(rekmock::Scope{"000000000000", "ap-south-1"},
                        body_of(defaulted)["JobId"].get<std::string>())
                  .has_value());
    }

    TEST_CASE("a NextToken from one account is InvalidPaginationToken in another") {
        Harness h;
        std::vector<rekmock::MediaAnalysisJob> jobs;
        for (int i = 0; i < 3; ++i) {
            // Appended rather than "j" + to_string(i): GCC 12 at -O2 warns falsely
            // (-Wrestrict) on operator+(const char*, string&&).
            std::string id = "j";
            id += std::to_string(i);
            rekmock::MediaAnalysisJob job = rekmock::testing::make_job(id, 1000 + i);
            job.scope = rekmock::Scope{"111122223333", "us-east-1"};
            jobs.push_back(job);
        }
        h.store.put_all(jobs);
        const auto request = [](const std::string& body, const std::string& account) {
            HttpRequest r = make_request(kTarget, body);
            r.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential=" + account +
                                                  "/20240101/us-east-1/rekognition/aws4_request, "
                                                  "SignedHeaders=host, Signature=abc");
            return r;
        };
        const HttpResponse first =
            handled(h.router, request(R"({"MaxResults":1})", "111122223333"));
        REQUIRE(first.result() == http::status::ok);
        const Json token = body_of(first)["NextToken"];
        REQUIRE(token.is_string());
        CHECK(handled(h.router, request(Json{{"NextToken", token}}.dump(), "111122223333"))
                  .result() == http::status::ok);
        check_error(handled(h.router, request(Json{{"NextToken", token}}.dump(), "444455556666")),
                    "InvalidPaginationTokenException");
        check_error(handled(h.router, make_request(kTarget, Json{{"NextToken", token}}.dump())),
                    "InvalidPaginationTokenException");
    }

    TEST_CASE("an injected error is answered exactly like a real one") {
        HookedHarness h;
        SUBCASE("ThrottlingException: 500") {
            h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1));
            const auto result = h.router.serve(make_request(kTarget, "{}"));
            const std::string message = check_error(result.response, "ThrottlingException",
                                                    http::status::internal_server_error);
            CHECK(message == "Rate exceeded");
            CHECK(header(result.response, "x-amzn-ErrorType") == "ThrottlingException");
            CHECK(result.delay == std::chrono::milliseconds(0));
        }
        SUBCASE("AccessDeniedException: 400") {
            h.faults.add(fault_rule(rekmock::service::ErrorKind::AccessDenied, 1));
            const auto result = h.router.serve(make_request(kTarget, "{}"));
            check_error(result.response, "AccessDeniedException", http::status::bad_request);
            CHECK(header(result.response, "x-amzn-ErrorType") == "AccessDeniedException");
        }
        SUBCASE("InternalServerError and ProvisionedThroughputExceededException") {
            h.faults.add(fault_rule(rekmock::service::ErrorKind::InternalServerError, 1));
            h.faults.add(fault_rule(rekmock::service::ErrorKind::ProvisionedThroughputExceeded, 1));
            check_error(handled(h.router, make_request(kTarget, "{}")), "InternalServerError",
                        http::status::internal_server_error);
            check_error(handled(h.router, make_request(kTarget, "{}")),
                        "ProvisionedThroughputExceededException", http::status::bad_request);
        }
        SUBCASE("the rule is spent: the next call succeeds") {
            h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1));
            CHECK(handled(h.router, make_request(kTarget, "{}")).result() ==
                  http::status::internal_server_error);
            CHECK(handled(h.router, make_request(kTarget, "{}")).result() == http::status::ok);
        }
        SUBCASE("keep-alive and version still mirror the request") {
            h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1));
            HttpRequest request = make_request(kTarget, "{}", 10);
            const HttpResponse response = handled(h.router, request);
            CHECK(response.version() == 10);
            CHECK_FALSE(response.keep_alive());
        }
    }

    TEST_CASE("injected latency is returned as the HandlerResult delay") {
        HookedHarness h;
        SUBCASE("latency only: a normal answer, held back") {
            h.faults.add(fault_rule(std::nullopt, 1, "*", std::chrono::milliseconds(750)));
            const auto result = h.router.serve(make_request(kTarget, "{}"));
            CHECK(result.response.result() == http::status::ok);
            CHECK(body_of(result.response).contains("MediaAnalysisJobs"));
            CHECK(result.delay == std::chrono::milliseconds(750));
        }
        SUBCASE("latency with an error") {
            h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1, "*",
                                    std::chrono::milliseconds(120)));
            const auto result = h.router.serve(make_request(kTarget, "{}"));
            check_error(result.response, "ThrottlingException",
                        http::status::internal_server_error);
            CHECK(result.delay == std::chrono::milliseconds(120));
        }
        SUBCASE("latency with a bad body: the real error, still held back") {
            h.faults.add(fault_rule(std::nullopt, 1, "*", std::chrono::milliseconds(30)));
            const auto result = h.router.serve(make_request(kTarget, "not json"));
            check_error(result.response, "SerializationException");
            CHECK(result.delay == std::chrono::milliseconds(30));
        }
        SUBCASE("no fault: no delay") {
            const auto result = h.router.serve(make_request(kTarget, "{}"));
            CHECK(result.delay == std::chrono::milliseconds(0));
        }
    }

    TEST_CASE("faults strike before validation") {
        HookedHarness h;
        h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 3));
        check_error(handled(h.router, make_request(kTarget, "not json")), "ThrottlingException",
                    http::status::internal_server_error);
        check_error(handled(h.router, make_request(kTarget, R"({"MaxResults": "ten"})")),
                    "ThrottlingException", http::status::internal_server_error);
        check_error(handled(h.router, make_request("RekognitionService.GetMediaAnalysisJob",
                                                   R"({"JobId": "no such job"})")),
                    "ThrottlingException", http::status::internal_server_error);
        // Spent: the real validation error again.
        check_error(handled(h.router, make_request(kTarget, "not json")), "SerializationException");
    }

    TEST_CASE("unknown operations are not subject to faults") {
        HookedHarness h;
        h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1));
        check_error(handled(h.router, make_request("RekognitionService.DetectLabels", "{}")),
                    "UnknownOperationException");
        check_error(handled(h.router, make_request(std::nullopt, "{}")),
                    "UnknownOperationException");
        check_error(handled(h.router, make_request("Other.ListMediaAnalysisJobs", "{}")),
                    "UnknownOperationException");
        const auto rules = h.faults.list();
        REQUIRE(rules.size() == 1);
        CHECK(rules[0].fired == 0);
        SUBCASE("a rule for another operation leaves this one alone") {
            h.faults.clear();
            h.faults.add(
                fault_rule(rekmock::service::ErrorKind::Throttling, 1, "GetMediaAnalysisJob"));
            CHECK(handled(h.router, make_request(kTarget, "{}")).result() == http::status::ok);
            CHECK(h.faults.list().size() == 1);
        }
    }

    TEST_CASE("the journal records every answered request") {
        HookedHarness h;
        const auto ok = h.router.serve(signed_request(kTarget, "{}", "111122223333", "eu-west-1"));
        REQUIRE(ok.response.result() == http::status::ok);
        h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1));
        const auto throttled = h.router.serve(signed_request(
            "RekognitionService.GetMediaAnalysisJob", "{}", "444455556666", "ap-south-1"));
        const auto bad = h.router.serve(make_request(kTarget, "[1]"));
        const auto unknown = h.router.serve(make_request("RekognitionService.DetectLabels", "{}"));
        const auto missing = h.router.serve(make_request(std::nullopt, "{}"));

        const auto records = rekmock::testing::recent(h.journal, 100);
        REQUIRE(records.size() == 5);

        CHECK(records[0].operation == "ListMediaAnalysisJobs");
        CHECK(records[0].caller == rekmock::Scope{"111122223333", "eu-west-1"});
        CHECK(records[0].status == 200);
        CHECK(records[0].error_type.empty());
        CHECK(records[0].request_id == header(ok.response, "x-amzn-RequestId"));

        CHECK(records[1].operation == "GetMediaAnalysisJob");
        CHECK(records[1].caller == rekmock::Scope{"444455556666", "ap-south-1"});
        CHECK(records[1].status == 500);
        CHECK(records[1].error_type == "ThrottlingException");
        CHECK(records[1].request_id == header(throttled.response, "x-amzn-RequestId"));

        CHECK(records[2].operation == "ListMediaAnalysisJobs");
        CHECK(records[2].caller == rekmock::Scope{});
        CHECK(records[2].status == 400);
        CHECK(records[2].error_type == "SerializationException");
        CHECK(records[2].request_id == header(bad.response, "x-amzn-RequestId"));

        for (const auto& record : {records[0], records[1], records[2]}) {
            CHECK_FALSE(record.unroutable);
        }

        // No operation took these: they say what was sent instead of naming one.
        CHECK(records[3].operation.empty());
        REQUIRE(records[3].unroutable);
        CHECK(records[3].unroutable->method == "POST");
        CHECK(records[3].unroutable->path == "/");
        CHECK(records[3].unroutable->target == "RekognitionService.DetectLabels");
        CHECK(records[3].status == 400);
        CHECK(records[3].error_type == "UnknownOperationException");
        CHECK(records[3].request_id == header(unknown.response, "x-amzn-RequestId"));

        CHECK(records[4].operation.empty());
        REQUIRE(records[4].unroutable);
        CHECK(records[4].unroutable->target.empty());
        CHECK(records[4].error_type == "UnknownOperationException");
        CHECK(records[4].request_id == header(missing.response, "x-amzn-RequestId"));

        for (const auto& record : records) {
            CHECK(rekmock::testing::is_lowercase_uuid_v4(record.request_id));
            CHECK(record.time.time_since_epoch().count() > 0);
        }
        // Times never go backwards.
        for (std::size_t i = 1; i < records.size(); ++i) {
            CHECK(records[i - 1].time <= records[i].time);
        }
    }

    TEST_CASE("the journal keeps what was sent of requests no operation takes") {
        HookedHarness h;
        HttpRequest get = make_request(kTarget, "{}");
        get.method(http::verb::get);
        get.target("/jobs?x=1");
        h.router.serve(get);
        HttpRequest other_path = make_request(kTarget, "{}");
        other_path.target("/prefix/");
        h.router.serve(other_path);
        h.router.serve(make_request("Other.ListMediaAnalysisJobs", "{\"broken"));
        h.router.serve(make_request("RekognitionService." + std::string(1000, 'X'), "{}"));

        const auto records = rekmock::testing::recent(h.journal, 10);
        REQUIRE(records.size() == 4);
        REQUIRE(records[0].unroutable);
        CHECK(records[0].unroutable->method == "GET");
        CHECK(records[0].unroutable->path == "/jobs?x=1");
        CHECK(records[0].unroutable->target == kTarget);
        CHECK(records[0].error_type == "UnknownOperationException");
        SUBCASE("the path is no part of routing, as before: a POST with a known target is served") {
            CHECK_FALSE(records[1].unroutable);
            CHECK(records[1].operation == "ListMediaAnalysisJobs");
            CHECK(records[1].status == 200);
        }
        SUBCASE("an unknown target is unroutable before its body is read") {
            REQUIRE(records[2].unroutable);
            CHECK(records[2].unroutable->target == "Other.ListMediaAnalysisJobs");
            CHECK(records[2].error_type == "UnknownOperationException");
        }
        SUBCASE("a long target is kept cut to its first kMaxNotedBytes") {
            REQUIRE(records[3].unroutable);
            CHECK(records[3].unroutable->target.size() == rekmock::protocol::kMaxNotedBytes);
            CHECK(records[3].unroutable->target.starts_with("RekognitionService.XXX"));
        }
    }

    TEST_CASE("the journal keeps Start's ClientRequestToken and JobName, failed or not") {
        HookedHarness h;
        const std::string settings =
            R"("OperationsConfig":{"DetectModerationLabels":{"MinConfidence":50}},)"
            R"("Input":{"S3Object":{"Bucket":"in-bucket","Name":"m.jsonl"}},)"
            R"("OutputConfig":{"S3Bucket":"out-bucket"})";
        const std::string start = "RekognitionService.StartMediaAnalysisJob";
        const auto ok = h.router.serve(make_request(
            start, "{" + settings + R"(,"ClientRequestToken":"token-1","JobName":"nightly"})"));
        REQUIRE(ok.response.result() == http::status::ok);
        // Invalid (JobName breaks its pattern): journaled with what was sent all the same.
        h.router.serve(make_request(
            start, "{" + settings + R"(,"ClientRequestToken":"token-2","JobName":"bad name!"})"));
        // A member of the wrong type after the token: the token is still known.
        h.router.serve(make_request(start, R"({"ClientRequestToken":"token-3","JobName":5})"));
        // Neither sent; and members of other operations are not noted.
        h.router.serve(make_request(start, "{" + settings + "}"));
        h.router.serve(make_request(kTarget, R"({"ClientRequestToken":"not-start"})"));
        // Refused for a missing member: both are known all the same.
        h.router.serve(make_request(start, R"({"ClientRequestToken":"token-6","JobName":"j6"})"));
        // Throttled before the operation ran: an SDK's retries are counted under their token.
        h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1));
        h.router.serve(make_request(start, "{" + settings + R"(,"ClientRequestToken":"token-7"})"));

        const auto records = rekmock::testing::recent(h.journal, 10);
        REQUIRE(records.size() == 7);
        CHECK(records[0].status == 200);
        CHECK(records[0].noted.client_request_token == "token-1");
        CHECK(records[0].noted.job_name == "nightly");
        CHECK(records[1].error_type == "InvalidParameterException");
        CHECK(records[1].noted.client_request_token == "token-2");
        CHECK(records[1].noted.job_name == "bad name!");
        CHECK(records[2].error_type == "SerializationException");
        CHECK(records[2].noted.client_request_token == "token-3");
        CHECK_FALSE(records[2].noted.job_name);
        CHECK(records[3].status == 200);
        CHECK_FALSE(records[3].noted.client_request_token);
        CHECK_FALSE(records[3].noted.job_name);
        CHECK_FALSE(records[4].noted.client_request_token);
        CHECK(records[5].error_type == "InvalidParameterException");
        CHECK(records[5].noted.client_request_token == "token-6");
        CHECK(records[5].noted.job_name == "j6");
        CHECK(records[6].error_type == "ThrottlingException");
        CHECK(records[6].noted.client_request_token == "token-7");
    }

    TEST_CASE("rejected HTTP is journaled as unroutable, with its header when it was read") {
        HookedHarness h;
        HttpRequest oversized = signed_request("RekognitionService.StartMediaAnalysisJob", "{}",
                                               "111122223333", "eu-west-1");
        const HttpResponse too_large =
            h.router.reject(http::status::payload_too_large, "body too large", 11, &oversized);
        const HttpResponse garbage =
            h.router.reject(http::status::bad_request, "Malformed HTTP request", 11, nullptr);

        const auto records = rekmock::testing::recent(h.journal, 10);
        REQUIRE(records.size() == 2);
        CHECK(records[0].request_id == header(too_large, "x-amzn-RequestId"));
        CHECK(records[0].operation.empty());
        REQUIRE(records[0].unroutable);
        CHECK(records[0].unroutable->method == "POST");
        CHECK(records[0].unroutable->path == "/");
        CHECK(records[0].unroutable->target == "RekognitionService.StartMediaAnalysisJob");
        CHECK(records[0].caller == rekmock::Scope{"111122223333", "eu-west-1"});
        CHECK(records[0].status == 413);
        CHECK(records[0].error_type == "SerializationException");

        CHECK(records[1].request_id == header(garbage, "x-amzn-RequestId"));
        REQUIRE(records[1].unroutable);
        CHECK(records[1].unroutable->method.empty());
        CHECK(records[1].unroutable->path.empty());
        CHECK(records[1].unroutable->target.empty());
        CHECK(records[1].caller == rekmock::Scope{});
        CHECK(records[1].status == 400);
    }

    TEST_CASE("the journal keeps each request's latency, body and answer") {
        HookedHarness h;
        const auto ok = h.router.serve(make_request(kTarget, R"({"MaxResults": 5})"));
        h.faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1, "*",
                                std::chrono::milliseconds(250)));
        const auto throttled = h.router.serve(make_request(kTarget, "{}"));
        HttpRequest oversized = make_request(kTarget, "{}");
        const HttpResponse too_large =
            h.router.reject(http::status::payload_too_large, "body too large", 11, &oversized);

        const auto records = rekmock::testing::recent(h.journal, 10);
        REQUIRE(records.size() == 3);
        CHECK(records[0].request_body.text == R"({"MaxResults": 5})");
        CHECK(records[0].request_body.bytes == 17);
        CHECK(records[0].response_body.text == ok.response.body());
        CHECK(records[0].response_body.bytes == ok.response.body().size());
        CHECK(records[0].latency > std::chrono::microseconds(0));
        CHECK(records[0].latency < std::chrono::seconds(5));
        // The injected latency is what the client waited for too.
        CHECK(records[1].latency >= std::chrono::milliseconds(250));
        CHECK(records[1].response_body.text == throttled.response.body());
        // A refused request's body was never read: only the answer is kept.
        CHECK(records[2].request_body.text.empty());
        CHECK(records[2].request_body.bytes == 0);
        CHECK(records[2].response_body.text == too_large.body());
    }

    TEST_CASE("a router without hooks neither injects nor records") {
        Harness h;
        rekmock::protocol::FaultInjector faults;
        faults.add(fault_rule(rekmock::service::ErrorKind::Throttling, 1));
        const auto result = h.router.serve(make_request(kTarget, "{}"));
        CHECK(result.response.result() == http::status::ok);
        CHECK(result.delay == std::chrono::milliseconds(0));
        CHECK(faults.list().size() == 1);
    }
}
