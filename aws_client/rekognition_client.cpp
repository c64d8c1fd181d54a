#include "rekognition_client.hpp"

#include "retry_policy.hpp"

namespace rekmock::aws {
namespace {

AwsEndpointConfig for_rekognition(AwsEndpointConfig config) {
    config.service = "rekognition";
    return config;
}

// "com.amazonaws.rekognition#ThrottlingException:http://..." -> "ThrottlingException".
std::string bare_type(std::string_view type) {
    if (const auto hash = type.rfind('#'); hash != std::string_view::npos) {
        type.remove_prefix(hash + 1);
    }
    return std::string(type.substr(0, type.find(':')));
}

// Whether an AWS JSON answer may succeed if sent again: 5xx, 429 or a throttling __type.
bool is_retryable_json_answer(const AwsResponse& response) {
    return objects::is_retryable_status(response.status) ||
           objects::is_retryable_code(json_error_of(response).type);
}

}  // namespace

AwsJsonError json_error_of(const AwsResponse& response) {
    AwsJsonError error;
    error.status = response.status;
    error.request_id = response.header("x-amzn-RequestId");
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        if (const auto type = body.find("__type"); type != body.end() && type->is_string()) {
            error.type = bare_type(type->get<std::string>());
        }
        for (const char* name : {"message", "Message"}) {
            if (const auto message = body.find(name);
                message != body.end() && message->is_string()) {
                error.message = message->get<std::string>();
                break;
            }
        }
    }
    if (error.type.empty()) {
        error.type = bare_type(response.header("X-Amzn-ErrorType"));
    }
    return error;
}

RekognitionError::RekognitionError(std::string_view operation, AwsJsonError error)
    : std::runtime_error(
          std::string(operation) + " failed: " + (error.type.empty() ? "an error" : error.type) +
          " (HTTP " + std::to_string(error.status) + ")" +
          (error.message ? ": " + *error.message : std::string()) +
          (error.request_id.empty() ? std::string() : " [request id " + error.request_id + "]")),
      error_(std::move(error)) {}

RekognitionClient::RekognitionClient(AwsEndpointConfig config)
    : http_(for_rekognition(std::move(config))) {}

AwsResponse RekognitionClient::post(
    std::string_view operation, std::string_view body,
    const std::function<bool(const AwsResponse&)>& retryable) const {
    return http_.post({operation,
                       {{"Content-Type", std::string(kAwsJsonContentType)},
                        {"X-Amz-Target", "RekognitionService." + std::string(operation)}},
                       body},
                      retryable);
}

AwsResponse RekognitionClient::call(std::string_view operation, std::string_view body) const {
    return post(operation, body, is_retryable_json_answer);
}

AwsResponse RekognitionClient::call_once(std::string_view operation, std::string_view body) const {
    return post(operation, body, [](const AwsResponse&) { return false; });
}

nlohmann::json RekognitionClient::call_json(std::string_view operation,
                                            const nlohmann::json& request) const {
    const AwsResponse response = call(operation, request.dump());
    if (response.status < 200 || response.status >= 300) {
        throw RekognitionError(operation, json_error_of(response));
    }
    nlohmann::json answer = nlohmann::json::parse(response.body, nullptr, false);
    if (!answer.is_object()) {
        throw AwsUnavailable(std::string(operation) + " at " + endpoint() + " answered HTTP " +
                             std::to_string(response.status) + " without a JSON object");
    }
    return answer;
}

nlohmann::json RekognitionClient::list_media_analysis_jobs(
    int max_results, const std::optional<std::string>& next_token) const {
    nlohmann::json request{{"MaxResults", max_results}};
    if (next_token) {
        request["NextToken"] = *next_token;
    }
    return call_json("ListMediaAnalysisJobs", request);
}

nlohmann::json RekognitionClient::get_media_analysis_job(const std::string& job_id) const {
    return call_json("GetMediaAnalysisJob", nlohmann::json{{"JobId", job_id}});
}

}  // namespace rekmock::aws
