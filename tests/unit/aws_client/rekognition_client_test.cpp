// The Rekognition client against scripted servers: what it sends (the JSON 1.1 framing, a SigV4
// header for service "rekognition"), which answers it sends again and how errors come back.

#include "rekognition_client.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "aws_endpoints.hpp"
#include "scripted_http_server.hpp"
#include "sts_client.hpp"

using rekmock::aws::AwsEndpointConfig;
using rekmock::aws::AwsResponse;
using rekmock::aws::AwsUnavailable;
using rekmock::aws::caller_account;
using rekmock::aws::default_endpoint;
using rekmock::aws::is_aws_endpoint;
using rekmock::aws::json_error_of;
using rekmock::aws::RekognitionClient;
using rekmock::aws::RekognitionError;
using rekmock::aws::StsError;
using rekmock::testing::http_answer;
using rekmock::testing::ScriptedAnswer;
using rekmock::testing::ScriptedHttpServer;
using rekmock::testing::ScriptedRequest;

namespace {

AwsEndpointConfig config_for(const std::string& endpoint) {
    AwsEndpointConfig config;
    config.endpoint = endpoint;
    config.region = "eu-west-1";
    config.credentials = {"AKIDTEST", "test-secret", "test-token"};
    config.max_attempts = 3;
    config.deadline = std::chrono::milliseconds(10'000);
    return config;
}

ScriptedAnswer json_answer(unsigned status, const std::string& body) {
    return {http_answer(status, body,
                        "Content-Type: application/x-amz-json-1.1\r\n"
                        "x-amzn-RequestId: 11111111-2222-3333-4444-555555555555\r\n")};
}

std::string error_body(const std::string& type) {
    return R"({"__type": ")" + type + R"(", "Message": "said the server"})";
}

// A loopback port nothing listens on.
std::string closed_endpoint() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = acceptor.local_endpoint().port();
    acceptor.close();
    return "http://127.0.0.1:" + std::to_string(port);
}

}  // namespace

TEST_SUITE("rekognition_client") {
    TEST_CASE("a call is a signed JSON 1.1 POST naming its operation") {
        ScriptedHttpServer server([](const ScriptedRequest&) {
            return json_answer(200, R"({"MediaAnalysisJobs": [], "NextToken": "t2"})");
        });
        const RekognitionClient client(config_for(server.endpoint()));
        const nlohmann::json page = client.list_media_analysis_jobs(100, "t1");
        CHECK(page.at("NextToken") == "t2");
        const ScriptedRequest request = server.requests().at(0);
        CHECK(request.method == "POST");
        CHECK(request.target == "/");
        CHECK(nlohmann::json::parse(request.body) ==
              nlohmann::json{{"MaxResults", 100}, {"NextToken", "t1"}});
        CHECK(request.headers.at("content-type") == "application/x-amz-json-1.1");
        CHECK(request.headers.at("x-amz-target") == "RekognitionService.ListMediaAnalysisJobs");
        CHECK(request.headers.at("x-amz-security-token") == "test-token");
        const std::string& authorization = request.headers.at("authorization");
        CHECK(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"));
        CHECK(authorization.find("/eu-west-1/rekognition/aws4_request") != std::string::npos);
        CHECK(authorization.find("x-amz-target") != std::string::npos);  // signed
        CHECK(authorization.find("test-secret") == std::string::npos);

        client.get_media_analysis_job("job-1");
        CHECK(server.requests().at(1).headers.at("x-amz-target") ==
              "RekognitionService.GetMediaAnalysisJob");
        CHECK(nlohmann::json::parse(server.requests().at(1).body) ==
              nlohmann::json{{"JobId", "job-1"}});
        CHECK(server.connections() == 1);  // kept alive
    }

    TEST_CASE("throttling and 5xx are sent again, and an answer after them is the result") {
        std::atomic<int> seen = 0;
        ScriptedHttpServer server([&](const ScriptedRequest&) {
            switch (seen++) {
                case 0:
                    return json_answer(400, error_body("ThrottlingException"));
                case 1:
                    return json_answer(500, error_body("InternalServerError"));
                default:
                    return json_answer(200, R"({"JobId": "job-1"})");
            }
        });
        const RekognitionClient client(config_for(server.endpoint()));
        const AwsResponse response = client.call("GetMediaAnalysisJob", R"({"JobId": "job-1"})");
        CHECK(response.status == 200);
        CHECK(response.attempts == 3);
        CHECK(server.requests().size() == 3);
    }

    TEST_CASE("call_once returns the first answer: a throttle and a 5xx are not sent again") {
        std::atomic<int> seen = 0;
        ScriptedHttpServer server([&](const ScriptedRequest&) {
            return ++seen == 1 ? json_answer(400, error_body("ThrottlingException"))
                               : json_answer(500, error_body("InternalServerError"));
        });
        const RekognitionClient client(config_for(server.endpoint()));
        const AwsResponse throttled = client.call_once("ListMediaAnalysisJobs", "{}");
        CHECK(throttled.status == 400);
        CHECK(json_error_of(throttled).type == "ThrottlingException");
        CHECK(throttled.header("x-amzn-requestid") == "11111111-2222-3333-4444-555555555555");
        CHECK(throttled.header("Content-Type") == "application/x-amz-json-1.1");
        CHECK(throttled.attempts == 1);
        const AwsResponse failed = client.call_once("ListMediaAnalysisJobs", "{}");
        CHECK(failed.status == 500);
        CHECK(server.requests().size() == 2);
        CHECK(server.requests().at(0).headers.at("x-amz-target") ==
              "RekognitionService.ListMediaAnalysisJobs");
    }

    TEST_CASE(
        "an error that does not pass is answered at once, one that persists after the retries") {
        ScriptedHttpServer refusing([](const ScriptedRequest&) {
            return json_answer(400, error_body("com.amazonaws.rekognition#AccessDeniedException"));
        });
        const RekognitionClient once(config_for(refusing.endpoint()));
        try {
            once.get_media_analysis_job("job-1");
            FAIL("no RekognitionError");
        } catch (const RekognitionError& e) {
            CHECK(e.error().type == "AccessDeniedException");
            CHECK(e.error().status == 400);
            CHECK(e.error().message == std::optional<std::string>("said the server"));
            CHECK(e.error().request_id == "11111111-2222-3333-4444-555555555555");
            CHECK(std::string(e.what()).find("GetMediaAnalysisJob failed: AccessDeniedException") ==
                  0);
        }
        CHECK(refusing.requests().size() == 1);

        ScriptedHttpServer throttling([](const ScriptedRequest&) {
            return json_answer(400, error_body("ProvisionedThroughputExceededException"));
        });
        const RekognitionClient tries(config_for(throttling.endpoint()));
        CHECK_THROWS_AS(tries.list_media_analysis_jobs(100, std::nullopt), RekognitionError);
        CHECK(throttling.requests().size() == 3);
    }

    TEST_CASE("the error type may come from X-Amzn-ErrorType, and a body may be no JSON") {
        AwsResponse response;
        response.status = 503;
        response.headers = {{"X-Amzn-ErrorType", "ServiceUnavailableException:http://x/"}};
        response.body = "<html>busy</html>";
        CHECK(json_error_of(response).type == "ServiceUnavailableException");
        CHECK(json_error_of(response).message == std::nullopt);
    }

    TEST_CASE("no server, or a 2xx that is no JSON object, is AwsUnavailable") {
        AwsEndpointConfig config = config_for(closed_endpoint());
        config.max_attempts = 2;
        const RekognitionClient unreachable(config);
        CHECK_THROWS_AS(unreachable.list_media_analysis_jobs(1, std::nullopt), AwsUnavailable);

        ScriptedHttpServer garbled(
            [](const ScriptedRequest&) { return json_answer(200, "[1, 2]"); });
        const RekognitionClient client(config_for(garbled.endpoint()));
        CHECK_THROWS_AS(client.get_media_analysis_job("j"), AwsUnavailable);
    }

    TEST_CASE("STS GetCallerIdentity names the account, and its errors are StsError") {
        ScriptedHttpServer sts([](const ScriptedRequest& request) {
            if (request.body.find("Action=GetCallerIdentity") == std::string::npos) {
                return ScriptedAnswer{http_answer(400, "<Error><Code>Bad</Code></Error>")};
            }
            return ScriptedAnswer{
                http_answer(200,
                            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/"
                            "2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::"
                            "111122223333:user/u</Arn><UserId>AIDA</UserId><Account>111122223333"
                            "</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
                            "Content-Type: text/xml\r\n")};
        });
        CHECK(caller_account(config_for(sts.endpoint())) == "111122223333");
        CHECK(sts.requests().at(0).headers.at("authorization").find("/eu-west-1/sts/") !=
              std::string::npos);

        ScriptedHttpServer expired([](const ScriptedRequest&) {
            return ScriptedAnswer{http_answer(
                403,
                "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>The security token "
                "included in the request is expired</Message></Error></ErrorResponse>")};
        });
        try {
            caller_account(config_for(expired.endpoint()));
            FAIL("no StsError");
        } catch (const StsError& e) {
            CHECK(std::string(e.what()).find("ExpiredToken (HTTP 403)") != std::string::npos);
        }
    }

    TEST_CASE("AWS's endpoints are told from an emulator's") {
        CHECK(default_endpoint("rekognition", "eu-west-1") ==
              "https://rekognition.eu-west-1.amazonaws.com");
        CHECK(default_endpoint("sts", "cn-north-1") == "https://sts.cn-north-1.amazonaws.com.cn");
        CHECK(is_aws_endpoint("https://rekognition.eu-west-1.amazonaws.com"));
        CHECK(is_aws_endpoint("https://rekognition-fips.us-east-1.amazonaws.com/"));
        CHECK(is_aws_endpoint("https://REKOGNITION.cn-north-1.amazonaws.com.cn"));
        CHECK_FALSE(is_aws_endpoint("http://127.0.0.1:9595"));
        CHECK_FALSE(is_aws_endpoint("http://amazonaws.com.evil.example"));
        CHECK_FALSE(is_aws_endpoint("not a url"));
    }
}
