#pragma once

// Rekognition's AWS JSON 1.1 protocol, as a client: POST / with `X-Amz-Target:
// RekognitionService.<Operation>` and a JSON body, signed for service "rekognition". Answers are
// returned as they came (for commands that compare them on the wire) or as JSON objects, an
// error answer then being a RekognitionError. Throttling and 5xx are retried (retry_policy.hpp),
// except by call_once.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "aws_http_client.hpp"

namespace rekmock::aws {

inline constexpr std::string_view kAwsJsonContentType = "application/x-amz-json-1.1";

// An AWS JSON error answer: its status, `__type` without the namespace before '#' (or the
// X-Amzn-ErrorType header's), its message when it has one, and its x-amzn-RequestId.
struct AwsJsonError {
    unsigned status = 0;
    std::string type;
    std::optional<std::string> message;
    std::string request_id;
};

// The error `response` (not 2xx) reports; type "" when it names none.
AwsJsonError json_error_of(const AwsResponse& response);

// An operation answered with an error, after the retries.
class RekognitionError : public std::runtime_error {
  public:
    RekognitionError(std::string_view operation, AwsJsonError error);
    const AwsJsonError& error() const noexcept { return error_; }

  private:
    AwsJsonError error_;
};

class RekognitionClient {
  public:
    // `config.service` is set to "rekognition". Throws std::invalid_argument as AwsHttpClient.
    explicit RekognitionClient(AwsEndpointConfig config);

    // `operation` called with the request body `body`, answered as the endpoint answered (after
    // the retries). Throws AwsUnavailable when no answer came.
    AwsResponse call(std::string_view operation, std::string_view body) const;

    // `operation` called with `body`, its first answer returned whatever it says (a throttle or a
    // 5xx included): for commands that compare answers. Only a request that got no answer at all
    // is sent again. Throws AwsUnavailable when no answer came.
    AwsResponse call_once(std::string_view operation, std::string_view body) const;

    // The JSON object a successful answer holds. Throws RekognitionError for an error answer,
    // AwsUnavailable for none, and AwsUnavailable for a 2xx answer that is not a JSON object.
    nlohmann::json call_json(std::string_view operation, const nlohmann::json& request) const;

    // One page of ListMediaAnalysisJobs.
    nlohmann::json list_media_analysis_jobs(int max_results,
                                            const std::optional<std::string>& next_token) const;
    // GetMediaAnalysisJob of `job_id`.
    nlohmann::json get_media_analysis_job(const std::string& job_id) const;

    const std::string& endpoint() const noexcept { return http_.config().endpoint; }

  private:
    AwsResponse post(std::string_view operation, std::string_view body,
                     const std::function<bool(const AwsResponse&)>& retryable) const;

    AwsHttpClient http_;
};

}  // namespace rekmock::aws
