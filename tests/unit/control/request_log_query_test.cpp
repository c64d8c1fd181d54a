#include "request_log_query.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "control_request.hpp"

using rekmock::control::ControlError;
using rekmock::control::parse_request_log_query;
using rekmock::control::RequestLogAnswer;
using rekmock::control::RequestLogQuery;
using rekmock::protocol::StatusRange;

namespace {

// The query read from a request target's query string, as the control router reads it.
RequestLogQuery parse(std::string_view query, RequestLogAnswer answer = RequestLogAnswer::List) {
    const auto target = rekmock::control::parse_target("/_mock/requests?" + std::string(query));
    REQUIRE(target);
    return parse_request_log_query(target->query, answer);
}

// The BadRequest message that reading `query` throws; fails when it throws none.
std::string refusal(std::string_view query, RequestLogAnswer answer = RequestLogAnswer::List) {
    try {
        parse(query, answer);
    } catch (const ControlError& e) {
        CHECK(e.status() == boost::beast::http::status::bad_request);
        CHECK(e.code() == "BadRequest");
        return e.what();
    }
    FAIL("no BadRequest for " << query);
    return {};
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("request_log_query") {
    TEST_CASE("no parameters: every request, the newest 100") {
        const auto target = rekmock::control::parse_target("/_mock/requests");
        REQUIRE(target);
        const auto query = parse_request_log_query(target->query, RequestLogAnswer::List);
        CHECK_FALSE(query.filter.operation);
        CHECK_FALSE(query.filter.status);
        CHECK_FALSE(query.filter.unroutable);
        CHECK_FALSE(query.since);
        CHECK(query.limit == 100);
    }

    TEST_CASE("every filter is read") {
        const auto query = parse(
            "Operation=StartMediaAnalysisJob&AccountId=111122223333&Region=eu-west-1&Status=4xx"
            "&ErrorType=InvalidParameterException&ClientRequestToken=token-1&JobName=nightly"
            "&Unroutable=false&Since=3f1c&Limit=7");
        CHECK(query.filter.operation == "StartMediaAnalysisJob");
        CHECK(query.filter.account == "111122223333");
        CHECK(query.filter.region == "eu-west-1");
        CHECK(query.filter.status == StatusRange{400, 499});
        CHECK(query.filter.error_type == "InvalidParameterException");
        CHECK(query.filter.client_request_token == "token-1");
        CHECK(query.filter.job_name == "nightly");
        CHECK(query.filter.unroutable == false);
        CHECK(query.since == "3f1c");
        CHECK(query.limit == 7);
    }

    TEST_CASE("Status: an exact status or a class") {
        CHECK(parse("Status=400").filter.status == StatusRange{400, 400});
        CHECK(parse("Status=200").filter.status == StatusRange{200, 200});
        CHECK(parse("Status=599").filter.status == StatusRange{599, 599});
        CHECK(parse("Status=100").filter.status == StatusRange{100, 100});
        CHECK(parse("Status=2xx").filter.status == StatusRange{200, 299});
        CHECK(parse("Status=5XX").filter.status == StatusRange{500, 599});
        CHECK(parse("Status=1xx").filter.status == StatusRange{100, 199});
        for (const char* bad :
             {"Status=600", "Status=099", "Status=6xx", "Status=0xx", "Status=4x", "Status=4xxx",
              "Status=40", "Status=4000", "Status=%2B400", "Status=4x0", "Status=abc",
              "Status=-400", "Status=40%200", "Status=4yy"}) {
            CAPTURE(bad);
            CHECK(contains(refusal(bad), "Status must be"));
        }
    }

    TEST_CASE("ErrorType: * or a name the mock answers with") {
        CHECK(parse("ErrorType=*").filter.error_type == "*");
        CHECK(parse("ErrorType=%2A").filter.error_type == "*");
        for (const char* name :
             {"ThrottlingException", "InvalidParameterException", "SerializationException",
              "UnknownOperationException", "InvalidSignatureException", "InternalServerError",
              "ResourceNotFoundException", "IdempotentParameterMismatchException"}) {
            CAPTURE(name);
            CHECK(parse(std::string("ErrorType=") + name).filter.error_type == name);
        }
        // A misspelt or foreign name would match nothing and let "no errors" pass: refused.
        const std::string message = refusal("ErrorType=ValidationException");
        CHECK(contains(message, "ValidationException"));
        CHECK(contains(message, "InvalidParameterException"));
        refusal("ErrorType=invalidparameterexception");
        refusal("ErrorType=**");
    }

    TEST_CASE("Operation: one this mock serves") {
        CHECK(parse("Operation=ListMediaAnalysisJobs").filter.operation == "ListMediaAnalysisJobs");
        const std::string message = refusal("Operation=DetectLabels");
        CHECK(
            contains(message, "GetMediaAnalysisJob, ListMediaAnalysisJobs, StartMediaAnalysisJob"));
        CHECK(contains(message, "Unroutable=true"));
        refusal("Operation=*");
        refusal("Operation=RekognitionService.ListMediaAnalysisJobs");
    }

    TEST_CASE("AccountId and Region: each alone, checked as scopes are") {
        CHECK(parse("AccountId=000000000000").filter.account == "000000000000");
        CHECK_FALSE(parse("AccountId=000000000000").filter.region);
        CHECK(parse("Region=ap-south-1").filter.region == "ap-south-1");
        CHECK_FALSE(parse("Region=ap-south-1").filter.account);
        CHECK(contains(refusal("AccountId=1234"), "AccountId must be 12 digits"));
        CHECK(contains(refusal("Region=EU_WEST"), "Region must be"));
    }

    TEST_CASE("Unroutable: true or false") {
        CHECK(parse("Unroutable=true").filter.unroutable == true);
        CHECK(parse("Unroutable=false").filter.unroutable == false);
        refusal("Unroutable=1");
        refusal("Unroutable=TRUE");
        refusal("Unroutable=yes");
    }

    TEST_CASE("ClientRequestToken and JobName: any text the journal can keep") {
        CHECK(parse("ClientRequestToken=a%20b").filter.client_request_token == "a b");
        const std::string longest(rekmock::protocol::kMaxNotedBytes, 't');
        CHECK(parse("ClientRequestToken=" + longest).filter.client_request_token == longest);
        CHECK(contains(refusal("ClientRequestToken=" + longest + "t"), "at most 256 bytes"));
        CHECK(contains(refusal("JobName=" + std::string(300, 'j')), "JobName"));
    }

    TEST_CASE("Limit: 1 to 1000, for lists only") {
        CHECK(parse("Limit=1").limit == 1);
        CHECK(parse("Limit=1000").limit == 1000);
        for (const char* bad : {"Limit=0", "Limit=1001", "Limit=99999", "Limit=-1", "Limit=1.5",
                                "Limit=%2B5", "Limit=abc"}) {
            CAPTURE(bad);
            CHECK(contains(refusal(bad), "Limit must be"));
        }
        CHECK(contains(refusal("Limit=5", RequestLogAnswer::Count), "does not apply to a count"));
        const auto counted = parse("Operation=GetMediaAnalysisJob", RequestLogAnswer::Count);
        CHECK(counted.filter.operation == "GetMediaAnalysisJob");
    }

    TEST_CASE("RequestId selects one request, Include adds latency and bodies to lists") {
        CHECK(parse("RequestId=abc").filter.request_id == "abc");
        CHECK(parse("RequestId=abc", RequestLogAnswer::Count).filter.request_id == "abc");
        const auto none = parse("");
        CHECK_FALSE(none.include_latency);
        CHECK_FALSE(none.include_bodies);
        const auto latency = parse("Include=Latency");
        CHECK(latency.include_latency);
        CHECK_FALSE(latency.include_bodies);
        const auto both = parse("Include=Bodies,Latency");
        CHECK(both.include_latency);
        CHECK(both.include_bodies);
        CHECK(contains(refusal("Include=Headers"), "Include"));
        CHECK(contains(refusal("Include=Latency,,Bodies"), "Include"));
        CHECK(contains(refusal("Include=Latency", RequestLogAnswer::Count), "count"));
    }

    TEST_CASE("unknown and empty parameters are refused") {
        // "Operaton" matching everything would make any count assertion meaningless.
        const std::string message = refusal("Operaton=StartMediaAnalysisJob");
        CHECK(contains(message, "unknown parameter 'Operaton'"));
        CHECK(contains(message, "ClientRequestToken"));
        CHECK(contains(message, "Limit"));
        CHECK_FALSE(contains(refusal("status=400", RequestLogAnswer::Count), "Limit"));
        for (const char* empty :
             {"Operation=", "Status", "Since=", "ErrorType=", "Limit=", "ClientRequestToken="}) {
            CAPTURE(empty);
            CHECK(contains(refusal(empty), "must not be empty"));
        }
    }
}
