#include "control_router.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "byte_stream_body.hpp"
#include "fault_injector.hpp"
#include "fixture_import.hpp"
#include "job_store.hpp"
#include "lifecycle.hpp"
#include "listed_fixtures.hpp"
#include "mock_control.hpp"
#include "recent_requests.hpp"
#include "request_journal.hpp"
#include "test_jobs.hpp"

namespace http = boost::beast::http;
using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobStatus;
using rekmock::Scope;
using rekmock::control::ControlRouter;
using rekmock::control::ServerInfo;
using rekmock::net::HttpRequest;
using rekmock::net::HttpResponse;
using rekmock::testing::make_job;
using Json = nlohmann::json;

namespace {

// The router's answer as a caller on a thread that may block takes it: a streamed body read
// into it whole.
HttpResponse handled(ControlRouter& router, const HttpRequest& request) {
    rekmock::net::HandlerResult result = router.serve(request);
    if (result.body) {
        result.response.body() = rekmock::control::read_whole(*result.body);
        result.response.prepare_payload();
    }
    return std::move(result.response);
}

// A fault rule that throttles the next call.
rekmock::protocol::FaultRule throttle_once() {
    rekmock::protocol::FaultRule rule;
    rule.error = rekmock::service::ErrorKind::Throttling;
    rule.count = 1;
    return rule;
}

const Scope kOther{"111122223333", "eu-west-1"};

MediaAnalysisJob in_scope(MediaAnalysisJob job, const Scope& scope) {
    job.scope = scope;
    return job;
}

// The fixture set the server "started with": two jobs in the default scope, one in kOther.
std::vector<MediaAnalysisJob> baseline() {
    MediaAnalysisJob done = make_job("base-done", 1'700'000'000'000);
    done.status = MediaAnalysisJobStatus::Succeeded;
    done.completion_timestamp = rekmock::testing::at_millis(1'700'000'001'000);
    return {done, make_job("base-running", 1'700'000'002'000),
            in_scope(make_job("base-other", 1'700'000'003'000), kOther)};
}

// The baseline as listed jobs; request bodies read as the server reads them.
class Fixtures final : public rekmock::testing::ListedFixtures {
  public:
    explicit Fixtures(rekmock::storage::JobStore& store)
        : ListedFixtures(store, [] { return baseline(); }) {}
    rekmock::storage::LoadResult seed(std::string_view text) override {
        return rekmock::fixtures::load_fixtures(store_, {{"request body", text}}, Scope{});
    }
};

struct Harness {
    explicit Harness(std::string store_location = ":memory:")
        : store(":memory:"),
          fixtures(store),
          control(store, clock, fixtures, faults, journal),
          router(control, ServerInfo{.version = "1.2.3",
                                     .store_location = std::move(store_location),
                                     .default_account = "000000000000"}) {
        control.reset(std::nullopt, true);
    }

    // The response to `method target` with `body`.
    HttpResponse call(http::verb method, std::string_view target, std::string body = {}) {
        HttpRequest request{method, target, 11};
        request.set(http::field::host, "localhost:4566");
        if (!body.empty()) {
            request.set(http::field::content_type, "application/json");
        }
        request.body() = std::move(body);
        request.prepare_payload();
        return handled(router, request);
    }

    rekmock::storage::JobStore store;
    rekmock::service::SteerableClock clock;
    Fixtures fixtures;
    rekmock::protocol::FaultInjector faults;
    rekmock::protocol::RequestJournal journal;
    rekmock::control::MockControl control;
    ControlRouter router;
};

// The JSON body of a response, after checking what every control response carries.
Json body_of(const HttpResponse& response) {
    CHECK(response[http::field::content_type] == "application/json");
    CHECK(response.body().ends_with("\n"));
    const Json body = Json::parse(response.body(), nullptr, false);
    CHECK_FALSE(body.is_discarded());
    return body;
}

// Checks an error response: status and {"Error", "Message"}; returns the message.
std::string check_error(const HttpResponse& response, http::status status, std::string_view code) {
    CHECK(response.result() == status);
    const Json body = body_of(response);
    REQUIRE(body.is_object());
    CHECK(body.size() == 2);
    CHECK(body.value("Error", "") == code);
    REQUIRE(body.contains("Message"));
    REQUIRE(body["Message"].is_string());
    const std::string message = body["Message"].get<std::string>();
    CHECK_FALSE(message.empty());
    return message;
}

std::string bad_request(const HttpResponse& response) {
    return check_error(response, http::status::bad_request, "BadRequest");
}

Json ok_body(const HttpResponse& response, http::status status = http::status::ok) {
    CHECK(response.result() == status);
    return body_of(response);
}

std::vector<std::string> job_ids(const Json& dump) {
    std::vector<std::string> ids;
    for (const auto& job : dump.at("MediaAnalysisJobs")) {
        ids.push_back(job.at("JobId").get<std::string>());
    }
    return ids;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// A job description as fixture files and POST /_mock/jobs take it.
Json fixture_job(const std::string& id, double created = 1727784000.25) {
    Json job = Json::parse(R"({
        "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
        "Status": "IN_PROGRESS",
        "Input": {"S3Object": {"Bucket": "in-bucket", "Name": "manifests/a.jsonl"}},
        "OutputConfig": {"S3Bucket": "out-bucket", "S3KeyPrefix": "out/"}
    })");
    job["JobId"] = id;
    job["CreationTimestamp"] = created;
    return job;
}

rekmock::protocol::RequestRecord journal_entry(
    const std::string& id, unsigned status, const std::string& error_type = {},
    const std::string& operation = "ListMediaAnalysisJobs") {
    rekmock::protocol::RequestRecord entry;
    entry.time = rekmock::testing::at_millis(1'700'000'000'250);
    entry.request_id = id;
    entry.operation = operation;
    entry.caller = kOther;
    entry.status = status;
    entry.error_type = error_type;
    return entry;
}

// A Start journaled with its token and name.
rekmock::protocol::RequestRecord start_entry(const std::string& id, const std::string& token,
                                             unsigned status = 200,
                                             const std::string& error_type = {}) {
    auto entry = journal_entry(id, status, error_type, "StartMediaAnalysisJob");
    entry.noted.client_request_token = token;
    entry.noted.job_name = "nightly";
    return entry;
}

// A request no operation took.
rekmock::protocol::RequestRecord unroutable_entry(const std::string& id,
                                                  rekmock::protocol::UnroutableRequest sent) {
    auto entry = journal_entry(id, 400, "UnknownOperationException", "");
    entry.caller = Scope{};
    entry.unroutable = std::move(sent);
    return entry;
}

// The RequestIds a /_mock/requests answer lists.
std::vector<std::string> request_ids(const Json& answer) {
    std::vector<std::string> ids;
    for (const auto& entry : answer.at("Requests")) {
        ids.push_back(entry.at("RequestId").get<std::string>());
    }
    return ids;
}

}  // namespace

TEST_SUITE("control_router") {
    TEST_CASE("claims the control paths and nothing else") {
        for (const std::string_view target :
             {"/_mock/health", "/_mock/jobs?AccountId=111122223333", "/_mock/", "/_mock",
              "/_mock?x=1", "/_mock/anything/at/all", "/_localstack/health",
              "/_localstack/health?reload"}) {
            CAPTURE(target);
            CHECK(ControlRouter::claims(target));
        }
        for (const std::string_view target :
             {"/", "", "/_mockery", "/_mock_", "/_mocks/health", "/_localstack",
              "/_localstack/healthz", "/_localstack/health/x", "/?/_mock/health", "_mock/health",
              "/api/_mock/health", "/_MOCK/health"}) {
            CAPTURE(target);
            CHECK_FALSE(ControlRouter::claims(target));
        }
    }

    TEST_CASE("GET /_localstack/health") {
        Harness h;
        const Json body = ok_body(h.call(http::verb::get, "/_localstack/health"));
        CHECK(body["services"]["rekognition"] == "running");
        CHECK(body["edition"] == "community");
        CHECK(body["version"] == "rekognition-mock 1.2.3");
        check_error(h.call(http::verb::post, "/_localstack/health"),
                    http::status::method_not_allowed, "MethodNotAllowed");
    }

    TEST_CASE("GET /_mock/health reports version, store, clock and scopes") {
        Harness h;
        const Json body = ok_body(h.call(http::verb::get, "/_mock/health"));
        CHECK(body["Status"] == "ready");
        CHECK(body["Version"] == "1.2.3");
        REQUIRE(body["UptimeSeconds"].is_number());
        CHECK(body["UptimeSeconds"].get<double>() >= 0);
        CHECK(body["Store"] == Json{{"Kind", "memory"}, {"Location", ":memory:"}});
        CHECK(body["DefaultAccountId"] == "000000000000");
        CHECK(body["ClockOffsetSeconds"] == 0);
        CHECK(body["Scopes"] == Json::parse(R"([
            {"AccountId": "000000000000", "Region": "us-east-1", "Jobs": 2},
            {"AccountId": "111122223333", "Region": "eu-west-1", "Jobs": 1}
        ])"));

        SUBCASE("after advancing the clock and emptying a scope") {
            h.control.advance_clock(std::chrono::milliseconds(1500));
            h.control.reset(kOther, false);
            const Json after = ok_body(h.call(http::verb::get, "/_mock/health"));
            CHECK(after["ClockOffsetSeconds"] == 1.5);
            CHECK(after["Scopes"].size() == 1);
        }
        SUBCASE("a file store") {
            Harness file("/var/lib/rekmock/jobs.db");
            const Json file_body = ok_body(file.call(http::verb::get, "/_mock/health"));
            CHECK(file_body["Store"] ==
                  Json{{"Kind", "file"}, {"Location", "/var/lib/rekmock/jobs.db"}});
        }
        SUBCASE("a query string is ignored") {
            CHECK(h.call(http::verb::get, "/_mock/health?verbose=1").result() == http::status::ok);
        }
        SUBCASE("only GET") {
            for (const auto method : {http::verb::post, http::verb::delete_, http::verb::put}) {
                const std::string message =
                    check_error(h.call(method, "/_mock/health"), http::status::method_not_allowed,
                                "MethodNotAllowed");
                CHECK(contains(message, "GET"));
            }
        }
    }

    TEST_CASE("POST /_mock/reset of everything") {
        Harness h;
        h.store.put_all({make_job("extra", 5), in_scope(make_job("extra-other", 6), kOther)});
        h.faults.add(throttle_once());
        h.journal.record(journal_entry("r1", 200));
        h.control.advance_clock(std::chrono::milliseconds(60'000));

        SUBCASE("an empty body reloads the fixtures and resets faults, requests and clock") {
            const Json body = ok_body(h.call(http::verb::post, "/_mock/reset"));
            CHECK(body == Json{{"JobsDeleted", 5}, {"JobsLoaded", 3}});
            CHECK(h.store.count() == 3);
            CHECK(h.faults.list().empty());
            CHECK(rekmock::testing::recent(h.journal, 10).empty());
            CHECK(h.clock.offset() == std::chrono::milliseconds(0));
        }
        SUBCASE("{} is the same") {
            CHECK(ok_body(h.call(http::verb::post, "/_mock/reset", "{}")) ==
                  Json{{"JobsDeleted", 5}, {"JobsLoaded", 3}});
            CHECK(h.faults.list().empty());
        }
        SUBCASE("ReloadFixtures false leaves the store empty") {
            CHECK(
                ok_body(h.call(http::verb::post, "/_mock/reset", R"({"ReloadFixtures":false})")) ==
                Json{{"JobsDeleted", 5}, {"JobsLoaded", 0}});
            CHECK(h.store.count() == 0);
        }
        SUBCASE("ReloadFixtures true and null members mean the whole store") {
            CHECK(ok_body(h.call(http::verb::post, "/_mock/reset",
                                 R"({"ReloadFixtures":true,"AccountId":null,"Region":null})")) ==
                  Json{{"JobsDeleted", 5}, {"JobsLoaded", 3}});
        }
    }

    TEST_CASE("POST /_mock/reset of one scope") {
        Harness h;
        h.store.put_all({make_job("extra", 5), in_scope(make_job("extra-other", 6), kOther)});
        h.faults.add(throttle_once());
        h.journal.record(journal_entry("r1", 200));

        SUBCASE("AccountId and Region") {
            const Json body =
                ok_body(h.call(http::verb::post, "/_mock/reset",
                               R"({"AccountId":"111122223333","Region":"eu-west-1"})"));
            CHECK(body == Json{{"JobsDeleted", 2}, {"JobsLoaded", 1}});
            CHECK(h.store.count() == 4);
            // A scoped reset keeps the faults and the request log.
            CHECK(h.faults.list().size() == 1);
            CHECK(rekmock::testing::recent(h.journal, 10).size() == 1);
        }
        SUBCASE("Region alone means the default account") {
            const Json body =
                ok_body(h.call(http::verb::post, "/_mock/reset", R"({"Region":"us-east-1"})"));
            CHECK(body == Json{{"JobsDeleted", 3}, {"JobsLoaded", 2}});
        }
        SUBCASE("AccountId alone means us-east-1, an empty scope here") {
            const Json body = ok_body(
                h.call(http::verb::post, "/_mock/reset", R"({"AccountId":"111122223333"})"));
            CHECK(body == Json{{"JobsDeleted", 0}, {"JobsLoaded", 0}});
            CHECK(h.store.count() == 5);
        }
        SUBCASE("without reloading") {
            const Json body = ok_body(h.call(
                http::verb::post, "/_mock/reset",
                R"({"AccountId":"111122223333","Region":"eu-west-1","ReloadFixtures":false})"));
            CHECK(body == Json{{"JobsDeleted", 2}, {"JobsLoaded", 0}});
        }
    }

    TEST_CASE("POST /_mock/reset refuses bad requests") {
        Harness h;
        for (const char* body :
             {R"({"ReloadFixtures":"yes"})", R"({"ReloadFixtures":1})", R"({"AccountId":"123"})",
              R"({"AccountId":"1111222233334"})", R"({"AccountId":"11112222333a"})",
              R"({"AccountId":111122223333})", R"({"Region":"EU_WEST_1"})", R"({"Region":""})",
              R"({"Region":"eu west 1"})", "[]", "not json", "\"text\"", "{"}) {
            CAPTURE(body);
            bad_request(h.call(http::verb::post, "/_mock/reset", body));
        }
        // Nothing was reset.
        CHECK(h.store.count() == 3);
        check_error(h.call(http::verb::get, "/_mock/reset"), http::status::method_not_allowed,
                    "MethodNotAllowed");
    }

    TEST_CASE("GET /_mock/jobs dumps one scope in list order") {
        Harness h;
        SUBCASE("the default scope") {
            const Json body = ok_body(h.call(http::verb::get, "/_mock/jobs"));
            CHECK(body["AccountId"] == "000000000000");
            CHECK(body["Region"] == "us-east-1");
            CHECK(job_ids(body) == std::vector<std::string>{"base-running", "base-done"});
            CHECK(body["MediaAnalysisJobs"][0]["Status"] == "IN_PROGRESS");
            CHECK(body["MediaAnalysisJobs"][1]["Status"] == "SUCCEEDED");
            CHECK(body["MediaAnalysisJobs"][1]["CompletionTimestamp"] == 1700000001.0);
        }
        SUBCASE("a scope from the query") {
            const Json body = ok_body(
                h.call(http::verb::get, "/_mock/jobs?AccountId=111122223333&Region=eu-west-1"));
            CHECK(body["AccountId"] == "111122223333");
            CHECK(body["Region"] == "eu-west-1");
            CHECK(job_ids(body) == std::vector<std::string>{"base-other"});
        }
        SUBCASE("percent-encoded query names and values") {
            const Json body = ok_body(h.call(
                http::verb::get,
                "/_mock/"
                "jobs?%41ccountId=%31%31%31%31%32%32%32%32%33%33%33%33&Region=eu%2dwest%2D1"));
            CHECK(body["AccountId"] == "111122223333");
            CHECK(body["Region"] == "eu-west-1");
            CHECK(job_ids(body) == std::vector<std::string>{"base-other"});
        }
        SUBCASE("unknown and valueless parameters are ignored") {
            const Json body =
                ok_body(h.call(http::verb::get, "/_mock/jobs?x=1&flag&&Region=eu-west-1"));
            CHECK(body["AccountId"] == "000000000000");
            CHECK(body["Region"] == "eu-west-1");
            CHECK(body["MediaAnalysisJobs"].empty());
        }
        SUBCASE("an empty scope") {
            const Json body =
                ok_body(h.call(http::verb::get, "/_mock/jobs?AccountId=999999999999"));
            CHECK(body["MediaAnalysisJobs"] == Json::array());
        }
        SUBCASE("the lifecycle view at the steered clock") {
            MediaAnalysisJob started = make_job("started", 0);
            rekmock::service::plan_lifecycle(
                started, h.clock.now(),
                rekmock::service::LifecycleDurations{std::chrono::milliseconds(3'600'000),
                                                     std::chrono::milliseconds(0),
                                                     std::chrono::milliseconds(0)});
            h.store.put_all({started});
            CHECK(ok_body(h.call(http::verb::get,
                                 "/_mock/jobs"))["MediaAnalysisJobs"][0]["Status"] == "CREATED");
            h.control.advance_clock(std::chrono::milliseconds(7'200'000));
            const Json later = ok_body(h.call(http::verb::get, "/_mock/jobs"));
            CHECK(later["MediaAnalysisJobs"][0]["JobId"] == "started");
            CHECK(later["MediaAnalysisJobs"][0]["Status"] == "SUCCEEDED");
            CHECK(later["MediaAnalysisJobs"][0].contains("Results"));
        }
    }

    TEST_CASE("GET /_mock/jobs refuses bad scopes and malformed percent-encoding") {
        Harness h;
        for (const char* target :
             {"/_mock/jobs?AccountId=abc", "/_mock/jobs?AccountId=", "/_mock/jobs?AccountId",
              "/_mock/jobs?AccountId=%31%31", "/_mock/jobs?Region=EU",
              "/_mock/jobs?Region=", "/_mock/jobs?Region=eu+west+1", "/_mock/jobs?AccountId=%G1",
              "/_mock/jobs?AccountId=%3", "/_mock/jobs?AccountId=11112222333%", "/_mock/jobs?%ZZ=1",
              "/_mock/jobs%2"}) {
            CAPTURE(target);
            bad_request(h.call(http::verb::get, target));
        }
    }

    TEST_CASE("POST /_mock/jobs seeds jobs") {
        Harness h;
        SUBCASE("a bare array goes to the default scope") {
            Json jobs = Json::array({fixture_job("seed-1"), fixture_job("seed-2", 1727784001)});
            const Json body = ok_body(h.call(http::verb::post, "/_mock/jobs", jobs.dump()));
            CHECK(body == Json{{"JobsSeeded", 2}});
            CHECK(h.store.find(Scope{}, "seed-1").has_value());
            CHECK(h.store.find(Scope{}, "seed-2").has_value());
            CHECK(h.store.count() == 5);
        }
        SUBCASE("the object form may name a scope") {
            Json file{{"AccountId", "444455556666"},
                      {"Region", "ap-south-1"},
                      {"MediaAnalysisJobs", Json::array({fixture_job("seed-3")})}};
            CHECK(ok_body(h.call(http::verb::post, "/_mock/jobs", file.dump())) ==
                  Json{{"JobsSeeded", 1}});
            CHECK(h.store.find(Scope{"444455556666", "ap-south-1"}, "seed-3").has_value());
            const Json dump = ok_body(
                h.call(http::verb::get, "/_mock/jobs?AccountId=444455556666&Region=ap-south-1"));
            CHECK(job_ids(dump) == std::vector<std::string>{"seed-3"});
        }
        SUBCASE("an empty list seeds nothing") {
            CHECK(ok_body(h.call(http::verb::post, "/_mock/jobs", R"({"MediaAnalysisJobs":[]})")) ==
                  Json{{"JobsSeeded", 0}});
        }
        SUBCASE("a seeded job replaces one with the same JobId") {
            Json job = fixture_job("base-running");
            job["Status"] = "QUEUED";
            ok_body(h.call(http::verb::post, "/_mock/jobs", Json::array({job}).dump()));
            CHECK(h.store.find(Scope{}, "base-running")->status == MediaAnalysisJobStatus::Queued);
            CHECK(h.store.count() == 3);
        }
    }

    TEST_CASE("POST /_mock/jobs refuses invalid jobs and seeds nothing") {
        Harness h;
        Json bad_status = fixture_job("x");
        bad_status["Status"] = "DONE";
        Json bad_id = fixture_job("not a valid id!");
        Json missing_input = fixture_job("y");
        missing_input.erase("Input");
        for (const std::string& body :
             {std::string(), std::string("not json"), std::string("{}"), std::string("42"),
              Json::array({fixture_job("ok"), bad_status}).dump(), Json::array({bad_id}).dump(),
              Json::array({missing_input}).dump()}) {
            CAPTURE(body);
            bad_request(h.call(http::verb::post, "/_mock/jobs", body));
        }
        CHECK(h.store.count() == 3);
        CHECK_FALSE(h.store.find(Scope{}, "ok").has_value());
        for (const auto method : {http::verb::put, http::verb::delete_, http::verb::patch}) {
            const std::string message =
                check_error(h.call(method, "/_mock/jobs"), http::status::method_not_allowed,
                            "MethodNotAllowed");
            CHECK(contains(message, "POST"));
        }
    }

    TEST_CASE("POST /_mock/jobs/{id}/status steers a job") {
        Harness h;
        SUBCASE("to SUCCEEDED") {
            const Json job = ok_body(h.call(http::verb::post, "/_mock/jobs/base-running/status",
                                            R"({"Status":"SUCCEEDED"})"));
            CHECK(job["JobId"] == "base-running");
            CHECK(job["Status"] == "SUCCEEDED");
            CHECK(job.contains("CompletionTimestamp"));
            CHECK(job.contains("Results"));
            CHECK(job.contains("ManifestSummary"));
            CHECK(h.store.find(Scope{}, "base-running")->status ==
                  MediaAnalysisJobStatus::Succeeded);
        }
        SUBCASE("to FAILED with FailureDetails") {
            const Json job = ok_body(h.call(
                http::verb::post, "/_mock/jobs/base-done/status",
                R"({"Status":"FAILED","FailureDetails":{"Code":"THROTTLED","Message":"slow"}})"));
            CHECK(job["Status"] == "FAILED");
            CHECK(job["FailureDetails"] == Json{{"Code", "THROTTLED"}, {"Message", "slow"}});
            CHECK_FALSE(job.contains("Results"));
            CHECK(job["CompletionTimestamp"] == 1700000001.0);
        }
        SUBCASE("to FAILED without FailureDetails: INTERNAL_ERROR") {
            const Json job = ok_body(
                h.call(http::verb::post, "/_mock/jobs/base-done/status", R"({"Status":"FAILED"})"));
            CHECK(job["FailureDetails"]["Code"] == "INTERNAL_ERROR");
            CHECK(job["FailureDetails"]["Message"].is_string());
        }
        SUBCASE("to QUEUED") {
            const Json job = ok_body(
                h.call(http::verb::post, "/_mock/jobs/base-done/status", R"({"Status":"QUEUED"})"));
            CHECK(job["Status"] == "QUEUED");
            CHECK_FALSE(job.contains("CompletionTimestamp"));
            CHECK_FALSE(job.contains("Results"));
            CHECK_FALSE(job.contains("ManifestSummary"));
        }
        SUBCASE("in another scope, named in the body") {
            const Json job = ok_body(
                h.call(http::verb::post, "/_mock/jobs/base-other/status",
                       R"({"Status":"CREATED","AccountId":"111122223333","Region":"eu-west-1"})"));
            CHECK(job["Status"] == "CREATED");
            CHECK(h.store.find(kOther, "base-other")->status == MediaAnalysisJobStatus::Created);
        }
        SUBCASE("a percent-encoded JobId") {
            const Json job = ok_body(h.call(http::verb::post, "/_mock/jobs/base%2Drunning/status",
                                            R"({"Status":"QUEUED"})"));
            CHECK(job["JobId"] == "base-running");
        }
        SUBCASE("the dump shows the steered job") {
            ok_body(h.call(http::verb::post, "/_mock/jobs/base-running/status",
                           R"({"Status":"QUEUED"})"));
            const Json dump = ok_body(h.call(http::verb::get, "/_mock/jobs"));
            CHECK(dump["MediaAnalysisJobs"][0]["Status"] == "QUEUED");
        }
    }

    TEST_CASE("POST /_mock/jobs/{id}/status errors") {
        Harness h;
        SUBCASE("an unknown job is 404") {
            const std::string message = check_error(
                h.call(http::verb::post, "/_mock/jobs/nope/status", R"({"Status":"SUCCEEDED"})"),
                http::status::not_found, "NotFound");
            CHECK(contains(message, "nope"));
        }
        SUBCASE("a job of another scope is 404") {
            check_error(h.call(http::verb::post, "/_mock/jobs/base-other/status",
                               R"({"Status":"SUCCEEDED"})"),
                        http::status::not_found, "NotFound");
            check_error(h.call(http::verb::post, "/_mock/jobs/base-running/status",
                               R"({"Status":"SUCCEEDED","AccountId":"111122223333"})"),
                        http::status::not_found, "NotFound");
            CHECK(h.store.find(Scope{}, "base-running")->status ==
                  MediaAnalysisJobStatus::InProgress);
        }
        SUBCASE("bad bodies are 400") {
            for (const char* body :
                 {"", "{}", R"({"Status":"DONE"})", R"({"Status":"succeeded"})", R"({"Status":3})",
                  R"({"Status":"SUCCEEDED","FailureDetails":{}})",
                  R"({"Status":"FAILED","FailureDetails":"x"})",
                  R"({"Status":"FAILED","FailureDetails":{"Code":"NOPE"}})",
                  R"({"Status":"FAILED","FailureDetails":{"Code":5}})",
                  R"({"Status":"FAILED","FailureDetails":{"Message":5}})",
                  R"({"Status":"FAILED","AccountId":"12"})", "[]", "nope"}) {
                CAPTURE(body);
                bad_request(h.call(http::verb::post, "/_mock/jobs/base-running/status", body));
            }
            CHECK(h.store.find(Scope{}, "base-running")->status ==
                  MediaAnalysisJobStatus::InProgress);
        }
        SUBCASE("only POST") {
            check_error(h.call(http::verb::get, "/_mock/jobs/base-running/status"),
                        http::status::method_not_allowed, "MethodNotAllowed");
            check_error(h.call(http::verb::put, "/_mock/jobs/base-running/status",
                               R"({"Status":"SUCCEEDED"})"),
                        http::status::method_not_allowed, "MethodNotAllowed");
        }
    }

    TEST_CASE("POST /_mock/clock/advance") {
        Harness h;
        CHECK(ok_body(h.call(http::verb::post, "/_mock/clock/advance", R"({"Seconds":90})")) ==
              Json{{"ClockOffsetSeconds", 90.0}});
        CHECK(ok_body(h.call(http::verb::post, "/_mock/clock/advance", R"({"Seconds":0.5})")) ==
              Json{{"ClockOffsetSeconds", 90.5}});
        CHECK(ok_body(h.call(http::verb::post, "/_mock/clock/advance", R"({"Seconds":0})")) ==
              Json{{"ClockOffsetSeconds", 90.5}});
        CHECK(h.clock.offset() == std::chrono::milliseconds(90'500));
        CHECK(ok_body(h.call(http::verb::get, "/_mock/health"))["ClockOffsetSeconds"] == 90.5);

        SUBCASE("ten years is the most") {
            CHECK(h.call(http::verb::post, "/_mock/clock/advance", R"({"Seconds":315360000})")
                      .result() == http::status::ok);
        }
        SUBCASE("bad amounts are 400 and move nothing") {
            for (const char* body :
                 {"", "{}", R"({"Seconds":-1})", R"({"Seconds":"60"})", R"({"Seconds":null})",
                  R"({"Seconds":315360001})", R"({"Seconds":1e300})", "[]"}) {
                CAPTURE(body);
                bad_request(h.call(http::verb::post, "/_mock/clock/advance", body));
            }
            CHECK(h.clock.offset() == std::chrono::milliseconds(90'500));
        }
        SUBCASE("past 9996-01-01 is 400 naming Seconds and moves nothing") {
            // Ten years at a time, as a test that runs the clock far ahead would.
            HttpResponse refused;
            for (int advances = 0; advances < 1000; ++advances) {
                refused =
                    h.call(http::verb::post, "/_mock/clock/advance", R"({"Seconds":315360000})");
                if (refused.result() != http::status::ok) {
                    break;
                }
            }
            const auto offset = h.clock.offset();
            CHECK(bad_request(refused).starts_with(
                "Seconds: the lifecycle clock cannot pass 9996-01-01T00:00:00Z"));
            CHECK(h.clock.offset() == offset);
            CHECK(h.clock.now() <= rekmock::service::kLatestClock);
        }
        SUBCASE("only POST") {
            check_error(h.call(http::verb::get, "/_mock/clock/advance"),
                        http::status::method_not_allowed, "MethodNotAllowed");
        }
    }

    TEST_CASE("/_mock/faults: add, list, clear") {
        Harness h;
        const Json first = ok_body(
            h.call(
                http::verb::post, "/_mock/faults",
                R"({"Operation":"GetMediaAnalysisJob","Error":"ThrottlingException","Count":2})"),
            http::status::created);
        CHECK(first == Json::parse(R"({"Id":"fault-1","Operation":"GetMediaAnalysisJob",
            "Error":"ThrottlingException","LatencyMs":0,"RemainingCount":2,"Fired":0})"));
        const Json second = ok_body(
            h.call(
                http::verb::post, "/_mock/faults",
                R"({"Error":"AccessDeniedException","LatencyMs":250,"Probability":0.25,"Seed":7})"),
            http::status::created);
        CHECK(second == Json::parse(R"({"Id":"fault-2","Operation":"*",
            "Error":"AccessDeniedException","LatencyMs":250,"Probability":0.25,"Seed":7,
            "Fired":0})"));
        const Json latency_only =
            ok_body(h.call(http::verb::post, "/_mock/faults", R"({"LatencyMs":100,"Count":1})"),
                    http::status::created);
        CHECK_FALSE(latency_only.contains("Error"));
        CHECK(latency_only["LatencyMs"] == 100);

        // The rules reach the injector as given.
        const auto rules = h.faults.list();
        REQUIRE(rules.size() == 3);
        CHECK(rules[0].rule.operation == "GetMediaAnalysisJob");
        CHECK(rules[0].rule.error == rekmock::service::ErrorKind::Throttling);
        CHECK(rules[0].rule.count == 2);
        CHECK(rules[1].rule.probability == 0.25);
        CHECK(rules[1].rule.seed == 7);
        CHECK(rules[1].rule.latency == std::chrono::milliseconds(250));

        REQUIRE(h.faults.decide("GetMediaAnalysisJob").has_value());
        const Json listed = ok_body(h.call(http::verb::get, "/_mock/faults"));
        REQUIRE(listed["Faults"].size() == 3);
        CHECK(listed["Faults"][0]["Id"] == "fault-1");
        CHECK(listed["Faults"][0]["RemainingCount"] == 1);
        CHECK(listed["Faults"][0]["Fired"] == 1);
        CHECK(listed["Faults"][1] == second);
        CHECK(listed["Faults"][2]["Id"] == "fault-3");

        SUBCASE("DELETE /_mock/faults clears them all") {
            CHECK(ok_body(h.call(http::verb::delete_, "/_mock/faults")) ==
                  Json{{"FaultsCleared", 3}});
            CHECK(h.faults.list().empty());
            CHECK(ok_body(h.call(http::verb::get, "/_mock/faults")) ==
                  Json{{"Faults", Json::array()}});
            CHECK(ok_body(h.call(http::verb::delete_, "/_mock/faults")) ==
                  Json{{"FaultsCleared", 0}});
        }
        SUBCASE("DELETE /_mock/faults/{id} removes one") {
            CHECK(ok_body(h.call(http::verb::delete_, "/_mock/faults/fault-2")) ==
                  Json{{"FaultsCleared", 1}});
            REQUIRE(h.faults.list().size() == 2);
            CHECK(h.faults.list()[1].id == "fault-3");
            const std::string message =
                check_error(h.call(http::verb::delete_, "/_mock/faults/fault-2"),
                            http::status::not_found, "NotFound");
            CHECK(contains(message, "fault-2"));
            check_error(h.call(http::verb::delete_, "/_mock/faults/"), http::status::not_found,
                        "NotFound");
        }
        SUBCASE("wrong methods") {
            check_error(h.call(http::verb::put, "/_mock/faults", "{}"),
                        http::status::method_not_allowed, "MethodNotAllowed");
            check_error(h.call(http::verb::get, "/_mock/faults/fault-1"),
                        http::status::method_not_allowed, "MethodNotAllowed");
            check_error(h.call(http::verb::post, "/_mock/faults/fault-1"),
                        http::status::method_not_allowed, "MethodNotAllowed");
            CHECK(h.faults.list().size() == 3);
        }
    }

    TEST_CASE("POST /_mock/faults refuses bad rules") {
        Harness h;
        for (const char* body :
             {R"({"Operation":"DetectLabels","Error":"ThrottlingException","Count":1})",
              R"({"Operation":5,"Error":"ThrottlingException","Count":1})",
              R"({"Error":"ResourceNotFoundException","Count":1})",
              R"({"Error":"InvalidParameterException","Count":1})",
              R"({"Error":"Bogus","Count":1})",
              R"({"Error":"throttlingexception","Count":1})",
              R"({"Count":1})",
              R"({"LatencyMs":0,"Count":1})",
              R"({"Error":"ThrottlingException","LatencyMs":-1,"Count":1})",
              R"({"Error":"ThrottlingException","LatencyMs":60001,"Count":1})",
              R"({"Error":"ThrottlingException","LatencyMs":"5","Count":1})",
              R"({"Error":"ThrottlingException"})",
              R"({"Error":"ThrottlingException","Count":1,"Probability":0.5})",
              R"({"Error":"ThrottlingException","Count":0})",
              R"({"Error":"ThrottlingException","Count":-3})",
              R"({"Error":"ThrottlingException","Count":1.5})",
              R"({"Error":"ThrottlingException","Count":"2"})",
              R"({"Error":"ThrottlingException","Probability":0})",
              R"({"Error":"ThrottlingException","Probability":1.5})",
              R"({"Error":"ThrottlingException","Probability":0.5,"Seed":-1})",
              R"({"Error":"ThrottlingException","Probability":0.5,"Seed":1.5})",
              R"({"Error":"ThrottlingException","Probability":0.5,"Seed":9007199254740992})",
              "",
              "[]",
              "not json"}) {
            CAPTURE(body);
            bad_request(h.call(http::verb::post, "/_mock/faults", body));
        }
        CHECK(h.faults.list().empty());
        SUBCASE("the limits themselves are accepted") {
            for (
                const char* body :
                {R"({"Error":"ThrottlingException","LatencyMs":60000,"Count":1})",
                 R"({"Error":"ProvisionedThroughputExceededException","Count":1000000000})",
                 R"({"Error":"InternalServerError","Probability":1})",
                 R"({"Error":"ThrottlingException","Probability":0.5,"Seed":9007199254740991})",
                 R"({"Operation":"*","Error":"ThrottlingException","Count":1})",
                 R"({"Operation":"StartMediaAnalysisJob","LatencyMs":1,"Count":1})",
                 R"({"Operation":"ListMediaAnalysisJobs","Error":"AccessDeniedException","Count":1})"}) {
                CAPTURE(body);
                CHECK(h.call(http::verb::post, "/_mock/faults", body).result() ==
                      http::status::created);
            }
            CHECK(h.faults.list().size() == 7);
        }
    }

    TEST_CASE("/_mock/requests lists and clears the request journal") {
        Harness h;
        h.journal.record(journal_entry("r1", 200));
        h.journal.record(journal_entry("r2", 500, "ThrottlingException"));
        h.journal.record(journal_entry("r3", 400, "InvalidParameterException"));

        const Json all = ok_body(h.call(http::verb::get, "/_mock/requests"));
        REQUIRE(all["Requests"].size() == 3);
        CHECK(all["Requests"][0] == Json::parse(R"({"Time":1700000000.25,"RequestId":"r1",
            "Operation":"ListMediaAnalysisJobs","AccountId":"111122223333","Region":"eu-west-1",
            "Status":200})"));
        CHECK(all["Requests"][1]["ErrorType"] == "ThrottlingException");
        CHECK(all["Requests"][1]["Status"] == 500);
        CHECK(all["Requests"][2]["RequestId"] == "r3");

        SUBCASE("Limit keeps the newest, oldest first") {
            const Json two = ok_body(h.call(http::verb::get, "/_mock/requests?Limit=2"));
            REQUIRE(two["Requests"].size() == 2);
            CHECK(two["Requests"][0]["RequestId"] == "r2");
            CHECK(two["Requests"][1]["RequestId"] == "r3");
            CHECK(
                ok_body(h.call(http::verb::get, "/_mock/requests?Limit=%31"))["Requests"].size() ==
                1);
            CHECK(
                ok_body(h.call(http::verb::get, "/_mock/requests?Limit=1000"))["Requests"].size() ==
                3);
        }
        SUBCASE("bad limits") {
            for (const char* target :
                 {"/_mock/requests?Limit=0", "/_mock/requests?Limit=1001",
                  "/_mock/requests?Limit=99999", "/_mock/requests?Limit=-1",
                  "/_mock/requests?Limit=abc", "/_mock/requests?Limit=", "/_mock/requests?Limit",
                  "/_mock/requests?Limit=1.5", "/_mock/requests?Limit=+5"}) {
                CAPTURE(target);
                bad_request(h.call(http::verb::get, target));
            }
        }
        SUBCASE("DELETE clears") {
            CHECK(ok_body(h.call(http::verb::delete_, "/_mock/requests")) ==
                  Json{{"RequestsCleared", true}});
            CHECK(rekmock::testing::recent(h.journal, 10).empty());
            CHECK(ok_body(h.call(http::verb::get, "/_mock/requests")) ==
                  Json{{"Requests", Json::array()}});
        }
        SUBCASE("wrong methods") {
            check_error(h.call(http::verb::post, "/_mock/requests"),
                        http::status::method_not_allowed, "MethodNotAllowed");
            check_error(h.call(http::verb::put, "/_mock/requests"),
                        http::status::method_not_allowed, "MethodNotAllowed");
        }
    }

    TEST_CASE("/_mock/requests shows Start's members and unroutable requests as sent") {
        Harness h;
        h.journal.record(start_entry("r1", "token-1"));
        h.journal.record(unroutable_entry("r2", {"POST", "/", "RekognitionService.DetectLabels"}));
        h.journal.record(unroutable_entry("r3", {"GET", "/jobs?x=1", ""}));
        h.journal.record(unroutable_entry("r4", {}));
        const HttpResponse response = h.call(http::verb::get, "/_mock/requests");
        const Json all = ok_body(response);
        REQUIRE(all["Requests"].size() == 4);
        // Member order as on the wire.
        CHECK(contains(
            response.body(),
            R"({"Time":1700000000.25,"RequestId":"r1","Operation":"StartMediaAnalysisJob",)"
            R"("AccountId":"111122223333","Region":"eu-west-1","Status":200,)"
            R"("ClientRequestToken":"token-1","JobName":"nightly"})"));
        // No "Operation": null; what was read of the request instead, member by member.
        CHECK(
            contains(response.body(),
                     R"({"Time":1700000000.25,"RequestId":"r2","Unroutable":true,"Method":"POST",)"
                     R"("Path":"/","Target":"RekognitionService.DetectLabels",)"
                     R"("AccountId":"000000000000","Region":"us-east-1","Status":400,)"
                     R"("ErrorType":"UnknownOperationException"})"));
        CHECK(all["Requests"][2]["Method"] == "GET");
        CHECK(all["Requests"][2]["Path"] == "/jobs?x=1");
        CHECK_FALSE(all["Requests"][2].contains("Target"));
        CHECK_FALSE(all["Requests"][3].contains("Method"));
        CHECK_FALSE(all["Requests"][3].contains("Path"));
        CHECK(all["Requests"][3]["Unroutable"] == true);
        for (const auto& entry : all["Requests"]) {
            for (const auto& [name, value] : entry.items()) {
                CAPTURE(name);
                CHECK_FALSE(value.is_null());
            }
        }
    }

    TEST_CASE("/_mock/requests and /_mock/requests/count filter the journal") {
        Harness h;
        h.journal.record(start_entry("r1", "token-1"));
        h.journal.record(journal_entry("r2", 400, "InvalidParameterException"));
        h.journal.record(start_entry("r3", "token-2", 400, "IdempotentParameterMismatchException"));
        h.journal.record(journal_entry("r4", 500, "ThrottlingException", "GetMediaAnalysisJob"));
        h.journal.record(unroutable_entry("r5", {"POST", "/", "RekognitionService.DetectLabels"}));
        h.journal.record(start_entry("r6", "token-1"));
        const auto ids = [&h](std::string_view query) {
            return request_ids(
                ok_body(h.call(http::verb::get, "/_mock/requests?" + std::string(query))));
        };
        const auto count = [&h](std::string_view query) {
            const Json answer =
                ok_body(h.call(http::verb::get, "/_mock/requests/count?" + std::string(query)));
            CHECK(answer.size() == 1);
            return answer.at("Count").get<int>();
        };
        using Ids = std::vector<std::string>;

        CHECK(ids("Operation=StartMediaAnalysisJob&ClientRequestToken=token-1") == Ids{"r1", "r6"});
        CHECK(count("Operation=StartMediaAnalysisJob&ClientRequestToken=token-1") == 2);
        CHECK(count("ClientRequestToken=token-2") == 1);
        CHECK(count("JobName=nightly") == 3);
        CHECK(ids("Status=4xx") == Ids{"r2", "r3", "r5"});
        CHECK(ids("Status=500") == Ids{"r4"});
        CHECK(count("Status=2xx") == 2);
        CHECK(count("ErrorType=*") == 4);
        CHECK(count("ErrorType=InvalidParameterException") == 1);
        CHECK(count("ErrorType=SerializationException") == 0);
        CHECK(ids("Unroutable=true") == Ids{"r5"});
        CHECK(count("Unroutable=false") == 5);
        CHECK(count("AccountId=111122223333&Region=eu-west-1") == 5);
        CHECK(count("AccountId=000000000000") == 1);
        CHECK(count("Region=ap-south-1") == 0);
        CHECK(ids("Since=r3") == Ids{"r4", "r5", "r6"});
        CHECK(ids("Since=r3&Limit=2") == Ids{"r5", "r6"});
        CHECK(count("Since=r3&ErrorType=*") == 2);
        CHECK(count("Since=r6") == 0);
        CHECK(ids("Status=4xx&Limit=1") == Ids{"r5"});
        CHECK(count("") == 6);
        CHECK(ok_body(h.call(http::verb::get, "/_mock/requests/count")) == Json{{"Count", 6}});

        SUBCASE("a Since no request kept has is refused, not answered with nothing") {
            const std::string message =
                bad_request(h.call(http::verb::get, "/_mock/requests?Since=no-such-id"));
            CHECK(contains(message, "no-such-id"));
            bad_request(h.call(http::verb::get, "/_mock/requests/count?Since=no-such-id"));
            h.journal.clear();
            bad_request(h.call(http::verb::get, "/_mock/requests/count?Since=r1"));
        }
        SUBCASE("bad filters are the usual BadRequest") {
            for (const char* target :
                 {"/_mock/requests?Status=6xx", "/_mock/requests/count?ErrorType=Validation",
                  "/_mock/requests?Operation=DetectLabels", "/_mock/requests/count?Limit=5",
                  "/_mock/requests?Unroutable=yes", "/_mock/requests?AccountId=12",
                  "/_mock/requests/count?Operaton=StartMediaAnalysisJob",
                  "/_mock/requests?Region=", "/_mock/requests?Limit=0"}) {
                CAPTURE(target);
                bad_request(h.call(http::verb::get, target));
            }
        }
        SUBCASE("the count takes GET only") {
            check_error(h.call(http::verb::post, "/_mock/requests/count"),
                        http::status::method_not_allowed, "MethodNotAllowed");
            check_error(h.call(http::verb::delete_, "/_mock/requests/count"),
                        http::status::method_not_allowed, "MethodNotAllowed");
            CHECK(rekmock::testing::recent(h.journal, 10).size() == 6);
        }
    }

    TEST_CASE("unknown control paths are 404") {
        Harness h;
        for (const char* target :
             {"/_mock/nope", "/_mock/", "/_mock", "/_mock/jobs/base-running",
              "/_mock/jobs/base-running/statuses", "/_mock/clock", "/_mock/clock/reset",
              "/_mock/health/", "/_mock/Health", "/_mockery", "/"}) {
            for (const auto method : {http::verb::get, http::verb::post}) {
                CAPTURE(target);
                CAPTURE(http::to_string(method));
                const std::string message =
                    check_error(h.call(method, target), http::status::not_found, "NotFound");
                CHECK(contains(message, "no control endpoint"));
            }
        }
    }

    TEST_CASE("responses mirror the request's version and keep-alive") {
        Harness h;
        HttpRequest request{http::verb::get, "/_mock/health", 10};
        request.keep_alive(false);
        const HttpResponse response = handled(h.router, request);
        CHECK(response.result() == http::status::ok);
        CHECK(response.version() == 10);
        CHECK_FALSE(response.keep_alive());
        CHECK(response[http::field::content_length] == std::to_string(response.body().size()));
        const HttpResponse error = h.call(http::verb::get, "/_mock/nope");
        CHECK(error.version() == 11);
        CHECK(error.keep_alive());
    }

    TEST_CASE("GET /_mock/ui serves the browser view with a strict policy") {
        Harness h;
        for (const char* target : {"/_mock/ui", "/_mock/ui/", "/_mock/ui?x=1"}) {
            CAPTURE(target);
            const HttpResponse page = h.call(http::verb::get, target);
            CHECK(page.result() == http::status::ok);
            CHECK(page[http::field::content_type] == "text/html; charset=utf-8");
            CHECK(page.body().starts_with("<!doctype html>"));
            CHECK_FALSE(page.body().ends_with("\n\n"));
            CHECK(page["X-Content-Type-Options"] == "nosniff");
            const std::string csp(page["Content-Security-Policy"]);
            CHECK(contains(csp, "script-src 'self'"));
            CHECK(contains(csp, "default-src 'none'"));
            CHECK(contains(csp, "frame-ancestors 'none'"));
            CHECK_FALSE(contains(csp, "unsafe-inline"));
            CHECK(page[http::field::cache_control] == "no-cache");
            CHECK(page[http::field::etag].starts_with("\""));
        }
        SUBCASE("its files, each with its type") {
            CHECK(h.call(http::verb::get, "/_mock/ui/app.js")[http::field::content_type] ==
                  "text/javascript; charset=utf-8");
            CHECK(h.call(http::verb::get, "/_mock/ui/app.css")[http::field::content_type] ==
                  "text/css; charset=utf-8");
            CHECK(h.call(http::verb::get, "/_mock/ui/icon.svg")[http::field::content_type] ==
                  "image/svg+xml");
        }
        SUBCASE("no other file, and GET only") {
            for (const char* target :
                 {"/_mock/ui/nope.js", "/_mock/ui/..%2Findex.html", "/_mock/ui/index.html.bak"}) {
                CAPTURE(target);
                check_error(h.call(http::verb::get, target), http::status::not_found, "NotFound");
            }
            check_error(h.call(http::verb::get, "/_mock/ui/js/app.js"), http::status::not_found,
                        "NotFound");
            check_error(h.call(http::verb::post, "/_mock/ui"), http::status::method_not_allowed,
                        "MethodNotAllowed");
        }
    }

    TEST_CASE("GET answers carry an ETag, and If-None-Match with it is a 304") {
        Harness h;
        const HttpResponse first = h.call(http::verb::get, "/_mock/faults");
        const std::string tag(first[http::field::etag]);
        REQUIRE(tag.size() == 18);
        HttpRequest again{http::verb::get, "/_mock/faults", 11};
        again.set(http::field::host, "localhost:4566");
        again.set(http::field::if_none_match, tag);
        const HttpResponse unchanged = handled(h.router, again);
        CHECK(unchanged.result() == http::status::not_modified);
        CHECK(unchanged.body().empty());
        CHECK(unchanged[http::field::etag] == tag);
        // A change is a new answer with a new tag.
        h.call(http::verb::post, "/_mock/faults",
               R"({"Error": "ThrottlingException", "Count": 1})");
        const HttpResponse changed = handled(h.router, again);
        CHECK(changed.result() == http::status::ok);
        CHECK(changed[http::field::etag] != tag);
        // State changes are never cached.
        CHECK(h.call(http::verb::delete_, "/_mock/faults")[http::field::cache_control] ==
              "no-store");
    }

    TEST_CASE("a browser may steer the mock only from its own origin, with JSON") {
        Harness h;
        const auto advance = [&](std::optional<std::string_view> origin,
                                 std::optional<std::string_view> type, std::string body) {
            HttpRequest request{http::verb::post, "/_mock/clock/advance", 11};
            request.set(http::field::host, "localhost:4566");
            if (origin) {
                request.set(http::field::origin, *origin);
            }
            if (type) {
                request.set(http::field::content_type, *type);
            }
            request.body() = std::move(body);
            request.prepare_payload();
            return handled(h.router, request);
        };
        SUBCASE("a cross-site form post is refused and changes nothing") {
            const std::string message = check_error(
                advance("https://evil.example", "application/x-www-form-urlencoded", "Seconds=60"),
                http::status::forbidden, "CrossOriginRequest");
            CHECK(contains(message, "https://evil.example"));
            check_error(advance("https://evil.example", "application/json", R"({"Seconds": 60})"),
                        http::status::forbidden, "CrossOriginRequest");
            CHECK(h.clock.offset() == std::chrono::milliseconds(0));
        }
        SUBCASE("its own page, not JSON: 415") {
            check_error(advance("http://localhost:4566", "text/plain", R"({"Seconds": 60})"),
                        http::status::unsupported_media_type, "UnsupportedMediaType");
            CHECK(h.clock.offset() == std::chrono::milliseconds(0));
        }
        SUBCASE("its own page with JSON") {
            CHECK(ok_body(advance("http://localhost:4566", "application/json",
                                  R"({"Seconds": 60})")) == Json{{"ClockOffsetSeconds", 60.0}});
        }
        SUBCASE("no Origin (curl, SDK helpers): as before, any type") {
            CHECK(ok_body(advance(std::nullopt, std::nullopt, R"({"Seconds": 60})")) ==
                  Json{{"ClockOffsetSeconds", 60.0}});
            CHECK(ok_body(advance(std::nullopt, "application/x-www-form-urlencoded",
                                  R"({"Seconds": 1})")) == Json{{"ClockOffsetSeconds", 61.0}});
        }
        SUBCASE("reads from anywhere: the browser keeps the answer from the other page") {
            HttpRequest read{http::verb::get, "/_mock/health", 11};
            read.set(http::field::origin, "https://evil.example");
            const HttpResponse answer = handled(h.router, read);
            CHECK(answer.result() == http::status::ok);
            CHECK(answer[http::field::access_control_allow_origin].empty());
        }
    }

    TEST_CASE("GET /_mock/health links the browser view and says what time the mock sees") {
        Harness h;
        h.control.advance_clock(std::chrono::milliseconds(3'600'000));
        const Json body = ok_body(h.call(http::verb::get, "/_mock/health"));
        CHECK(body["Ui"] == "/_mock/ui");
        const double now = std::chrono::duration<double>(h.clock.now().time_since_epoch()).count();
        REQUIRE(body["Now"].is_number());
        CHECK(body["Now"].get<double>() <= now);
        CHECK(body["Now"].get<double>() > now - 5);
    }

    TEST_CASE("GET /_mock/jobs pages, filters, looks up and shows lifecycles on request") {
        Harness h;
        std::vector<MediaAnalysisJob> jobs;
        for (int i = 0; i < 5; ++i) {
            MediaAnalysisJob job = make_job("page-" + std::to_string(i), 1'800'000'000'000 + i);
            job.job_name = i % 2 == 0 ? "even-run" : "odd-run";
            job.status =
                i == 4 ? MediaAnalysisJobStatus::Failed : MediaAnalysisJobStatus::Succeeded;
            if (i == 4) {
                job.failure_details = rekmock::MediaAnalysisJobFailureDetails{
                    rekmock::MediaAnalysisJobFailureCode::InternalError, "boom"};
            }
            job.completion_timestamp = rekmock::testing::at_millis(1'800'000'001'000 + i);
            jobs.push_back(job);
        }
        h.store.put_all(jobs);
        const std::vector<std::string> all{"page-4", "page-3",       "page-2",   "page-1",
                                           "page-0", "base-running", "base-done"};
        SUBCASE("MaxResults and NextToken walk the scope in list order") {
            std::vector<std::string> walked;
            std::string target = "/_mock/jobs?MaxResults=3";
            int pages = 0;
            while (true) {
                const Json page = ok_body(h.call(http::verb::get, target));
                ++pages;
                CHECK(page["AccountId"] == "000000000000");
                CHECK(page["MediaAnalysisJobs"].size() <= 3);
                for (const auto& id : job_ids(page)) {
                    walked.push_back(id);
                }
                CHECK_FALSE(page.contains("Lifecycles"));
                if (!page.contains("NextToken")) {
                    break;
                }
                target =
                    "/_mock/jobs?MaxResults=3&NextToken=" + page["NextToken"].get<std::string>();
            }
            CHECK(pages == 3);
            CHECK(walked == all);
        }
        SUBCASE("the plain dump is as it was: no NextToken, no Lifecycles") {
            const Json dump = ok_body(h.call(http::verb::get, "/_mock/jobs"));
            CHECK(job_ids(dump) == all);
            CHECK(dump.size() == 3);
        }
        SUBCASE("Status and Contains filter, then page") {
            CHECK(job_ids(ok_body(h.call(http::verb::get, "/_mock/jobs?Status=FAILED"))) ==
                  std::vector<std::string>{"page-4"});
            const Json even =
                ok_body(h.call(http::verb::get, "/_mock/jobs?Contains=EVEN&MaxResults=2"));
            CHECK(job_ids(even) == std::vector<std::string>{"page-4", "page-2"});
            const Json rest = ok_body(
                h.call(http::verb::get, "/_mock/jobs?Contains=EVEN&MaxResults=2&NextToken=" +
                                            even["NextToken"].get<std::string>()));
            CHECK(job_ids(rest) == std::vector<std::string>{"page-0"});
            CHECK_FALSE(rest.contains("NextToken"));
            CHECK(
                job_ids(ok_body(h.call(http::verb::get, "/_mock/jobs?Contains=nothing"))).empty());
        }
        SUBCASE("JobId: one job, as Get shows it") {
            const Json one = ok_body(h.call(http::verb::get, "/_mock/jobs?JobId=page-4"));
            REQUIRE(one["MediaAnalysisJobs"].size() == 1);
            CHECK(one["MediaAnalysisJobs"][0]["FailureDetails"]["Message"] == "boom");
            CHECK(
                job_ids(ok_body(h.call(http::verb::get, "/_mock/jobs?JobId=base-other"))).empty());
            CHECK(job_ids(ok_body(h.call(
                      http::verb::get,
                      "/_mock/jobs?JobId=base-other&AccountId=111122223333&Region=eu-west-1"))) ==
                  std::vector<std::string>{"base-other"});
        }
        SUBCASE("Include=Lifecycle: the schedule of started jobs beside the jobs as shown") {
            MediaAnalysisJob started = make_job("started", 0);
            const auto second = std::chrono::milliseconds(1000);
            rekmock::service::plan_lifecycle(
                started, h.clock.now(),
                rekmock::service::LifecycleDurations{10 * second, 20 * second, 30 * second});
            h.store.put_all({started});
            const Json page =
                ok_body(h.call(http::verb::get, "/_mock/jobs?Include=Lifecycle&JobId=started"));
            REQUIRE(job_ids(page) == std::vector<std::string>{"started"});
            CHECK(page["MediaAnalysisJobs"][0]["Status"] == "CREATED");
            CHECK_FALSE(page["MediaAnalysisJobs"][0].contains("CompletionTimestamp"));
            const Json& lifecycle = page["Lifecycles"]["started"];
            const double created = page["MediaAnalysisJobs"][0]["CreationTimestamp"];
            CHECK(lifecycle["QueuedTimestamp"] == created + 10);
            CHECK(lifecycle["InProgressTimestamp"] == created + 30);
            CHECK(lifecycle["CompletionTimestamp"] == created + 60);
            // Loaded jobs have no schedule.
            const Json all_jobs = ok_body(h.call(http::verb::get, "/_mock/jobs?Include=Lifecycle"));
            CHECK(all_jobs["Lifecycles"].size() == 1);
        }
        SUBCASE("bad values are 400") {
            for (const char* target :
                 {"/_mock/jobs?MaxResults=0", "/_mock/jobs?MaxResults=x", "/_mock/jobs?Status=x",
                  "/_mock/jobs?NextToken=zzz", "/_mock/jobs?Include=Bodies"}) {
                CAPTURE(target);
                bad_request(h.call(http::verb::get, target));
            }
        }
    }

    TEST_CASE("/_mock/requests: Include=Latency,Bodies and RequestId") {
        Harness h;
        auto first = journal_entry("r1", 200);
        first.latency = std::chrono::microseconds(12'345);
        first.request_body = rekmock::protocol::KeptBody::of(R"({"MaxResults": 5})");
        first.response_body = rekmock::protocol::KeptBody{"{\"MediaAnalysisJobs\":", 9000};
        h.journal.record(first);
        h.journal.record(journal_entry("r2", 500, "ThrottlingException"));

        const Json plain = ok_body(h.call(http::verb::get, "/_mock/requests"));
        CHECK_FALSE(plain["Requests"][0].contains("LatencyMs"));
        CHECK_FALSE(plain["Requests"][0].contains("RequestBody"));

        const Json latency = ok_body(h.call(http::verb::get, "/_mock/requests?Include=Latency"));
        CHECK(latency["Requests"][0]["LatencyMs"] == 12.345);
        CHECK_FALSE(latency["Requests"][0].contains("RequestBody"));

        const Json one =
            ok_body(h.call(http::verb::get, "/_mock/requests?RequestId=r1&Include=Latency,Bodies"));
        REQUIRE(one["Requests"].size() == 1);
        const Json& r = one["Requests"][0];
        CHECK(r["RequestId"] == "r1");
        CHECK(r["RequestBody"] == R"({"MaxResults": 5})");
        CHECK(r["RequestBodyBytes"] == 17);
        CHECK(r["ResponseBody"] == "{\"MediaAnalysisJobs\":");
        CHECK(r["ResponseBodyBytes"] == 9000);
        CHECK(ok_body(h.call(http::verb::get, "/_mock/requests/count?RequestId=r2")) ==
              Json{{"Count", 1}});
        CHECK(ok_body(h.call(http::verb::get, "/_mock/requests/count?RequestId=r9")) ==
              Json{{"Count", 0}});
        for (const char* target : {"/_mock/requests?Include=Headers",
                                   "/_mock/requests?Include=", "/_mock/requests?Include=Latency,",
                                   "/_mock/requests/count?Include=Latency"}) {
            CAPTURE(target);
            bad_request(h.call(http::verb::get, target));
        }
    }

    TEST_CASE("GET /_mock/images needs an object store and names its image") {
        Harness h;
        bad_request(h.call(http::verb::get, "/_mock/images?Bucket=b"));
        bad_request(h.call(http::verb::get, "/_mock/images?Key=k"));
        const std::string message =
            check_error(h.call(http::verb::get, "/_mock/images?Bucket=b&Key=k.png"),
                        http::status::not_found, "NotFound");
        CHECK(contains(message, "no object store"));
    }
}
