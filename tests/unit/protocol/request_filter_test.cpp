#include "request_filter.hpp"

#include <doctest/doctest.h>

#include <string>

#include "test_jobs.hpp"

using rekmock::protocol::RequestFilter;
using rekmock::protocol::RequestRecord;
using rekmock::protocol::StatusRange;
using rekmock::protocol::UnroutableRequest;

namespace {

// A Start in account 111122223333, eu-west-1 that answered `status`.
RequestRecord start(unsigned status = 200, std::string error_type = {}) {
    RequestRecord entry;
    entry.time = rekmock::testing::at_millis(1'700'000'000'000);
    entry.request_id = "req-1";
    entry.operation = "StartMediaAnalysisJob";
    entry.caller = rekmock::Scope{"111122223333", "eu-west-1"};
    entry.status = status;
    entry.error_type = std::move(error_type);
    entry.noted.client_request_token = "token-1";
    entry.noted.job_name = "nightly";
    return entry;
}

RequestRecord unroutable() {
    RequestRecord entry;
    entry.request_id = "req-2";
    entry.status = 400;
    entry.error_type = "UnknownOperationException";
    entry.unroutable = UnroutableRequest{"POST", "/", "RekognitionService.DetectLabels"};
    return entry;
}

}  // namespace

TEST_SUITE("request_filter") {
    TEST_CASE("an empty filter matches every record") {
        CHECK(RequestFilter{}.matches(start()));
        CHECK(RequestFilter{}.matches(start(400, "InvalidParameterException")));
        CHECK(RequestFilter{}.matches(unroutable()));
    }

    TEST_CASE("each condition compares its member exactly") {
        RequestFilter filter;
        SUBCASE("Operation") {
            filter.operation = "StartMediaAnalysisJob";
            CHECK(filter.matches(start()));
            filter.operation = "GetMediaAnalysisJob";
            CHECK_FALSE(filter.matches(start()));
        }
        SUBCASE("AccountId") {
            filter.account = "111122223333";
            CHECK(filter.matches(start()));
            filter.account = "000000000000";
            CHECK_FALSE(filter.matches(start()));
        }
        SUBCASE("Region") {
            filter.region = "eu-west-1";
            CHECK(filter.matches(start()));
            filter.region = "eu-west-2";
            CHECK_FALSE(filter.matches(start()));
        }
        SUBCASE("RequestId: that one request") {
            filter.request_id = start().request_id;
            CHECK(filter.matches(start()));
            filter.request_id = start().request_id + "0";
            CHECK_FALSE(filter.matches(start()));
        }
        SUBCASE("ClientRequestToken: a record without one never matches") {
            filter.client_request_token = "token-1";
            CHECK(filter.matches(start()));
            filter.client_request_token = "token-10";
            CHECK_FALSE(filter.matches(start()));
            filter.client_request_token = "token";
            CHECK_FALSE(filter.matches(start()));
            RequestRecord without = start();
            without.noted.client_request_token.reset();
            filter.client_request_token = "token-1";
            CHECK_FALSE(filter.matches(without));
        }
        SUBCASE("JobName") {
            filter.job_name = "nightly";
            CHECK(filter.matches(start()));
            filter.job_name = "Nightly";
            CHECK_FALSE(filter.matches(start()));
        }
    }

    TEST_CASE("Status is an exact status or a class") {
        RequestFilter filter;
        filter.status = StatusRange{400, 400};
        CHECK(filter.matches(start(400, "InvalidParameterException")));
        CHECK_FALSE(filter.matches(start(413, "SerializationException")));
        CHECK_FALSE(filter.matches(start(200)));
        filter.status = StatusRange{400, 499};
        CHECK(filter.matches(start(400, "InvalidParameterException")));
        CHECK(filter.matches(start(499, "X")));
        CHECK(filter.matches(start(413, "SerializationException")));
        CHECK_FALSE(filter.matches(start(500, "ThrottlingException")));
        CHECK_FALSE(filter.matches(start(399)));
    }

    TEST_CASE("ErrorType names one error, or * any error") {
        RequestFilter filter;
        filter.error_type = "InvalidParameterException";
        CHECK(filter.matches(start(400, "InvalidParameterException")));
        CHECK_FALSE(filter.matches(start(400, "SerializationException")));
        CHECK_FALSE(filter.matches(start(200)));
        filter.error_type = std::string(rekmock::protocol::kAnyError);
        CHECK(filter.matches(start(400, "InvalidParameterException")));
        CHECK(filter.matches(start(500, "ThrottlingException")));
        CHECK(filter.matches(unroutable()));
        CHECK_FALSE(filter.matches(start(200)));
    }

    TEST_CASE("Unroutable picks either kind, Operation never matches an unroutable record") {
        RequestFilter filter;
        filter.unroutable = true;
        CHECK(filter.matches(unroutable()));
        CHECK_FALSE(filter.matches(start()));
        filter.unroutable = false;
        CHECK_FALSE(filter.matches(unroutable()));
        CHECK(filter.matches(start()));
        RequestFilter by_operation;
        by_operation.operation = "DetectLabels";
        CHECK_FALSE(by_operation.matches(unroutable()));
    }

    TEST_CASE("every condition set must hold") {
        RequestFilter filter;
        filter.operation = "StartMediaAnalysisJob";
        filter.client_request_token = "token-1";
        filter.status = StatusRange{200, 299};
        CHECK(filter.matches(start()));
        CHECK_FALSE(filter.matches(start(400, "InvalidParameterException")));
        filter.status.reset();
        filter.error_type = "InvalidParameterException";
        CHECK(filter.matches(start(400, "InvalidParameterException")));
        filter.account = "444455556666";
        CHECK_FALSE(filter.matches(start(400, "InvalidParameterException")));
    }
}
