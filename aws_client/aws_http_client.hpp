#pragma once

// Signed POSTs to one AWS API endpoint, the transport of the AWS query and JSON protocols: each
// request signed with SigV4 for the endpoint's service and region, sent over kept-alive HTTP/1.1
// or TLS connections (the object store's S3ConnectionPool: plain HTTP, nothing of S3 in it), and
// retried by the object store's policy (retry_policy.hpp). Answers are read whole: API answers are
// small. Thread-safe.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sigv4_signing.hpp"

namespace rekmock::objects {
class S3ConnectionPool;
}

namespace rekmock::aws {

struct AwsEndpointConfig {
    std::string endpoint;  // "https://rekognition.eu-west-1.amazonaws.com", "http://127.0.0.1:9595"
    std::string region;
    std::string service;  // the signing name: "rekognition", "sts"
    sigv4::Credentials credentials;
    std::optional<std::string> ca_file;  // PEM CAs to trust for https; else the system's
    std::chrono::milliseconds connect_timeout{5'000};
    std::chrono::milliseconds request_timeout{30'000};  // each write or read
    std::chrono::milliseconds deadline{60'000};         // one request, its retries included
    unsigned max_attempts = 5;
};

// An answer larger than this is no API's: the request fails.
inline constexpr std::size_t kMaxAnswerBytes = std::size_t{16} << 20;

struct AwsRequest {
    std::string_view operation;  // "ListMediaAnalysisJobs": for messages
    std::vector<std::pair<std::string, std::string>> headers;  // each signed: Content-Type, ...
    std::string_view body;
};

struct AwsResponse {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
    std::string body;
    unsigned attempts = 1;  // how many were sent for it

    // The first header of `name` (any case); "" when absent.
    std::string header(std::string_view name) const;
    // Whether the status is a 2xx.
    bool succeeded() const noexcept { return status >= 200 && status < 300; }
};

// No answer could be had: the endpoint unreachable, every attempt failed, or the answer was no
// HTTP an API gives. The message names the endpoint and the operation, never a credential.
class AwsUnavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class AwsHttpClient {
  public:
    // Throws std::invalid_argument for a malformed endpoint URL or a CA file that cannot be
    // loaded; connects on first use.
    explicit AwsHttpClient(AwsEndpointConfig config);
    ~AwsHttpClient();
    AwsHttpClient& operator=(AwsHttpClient&&) = delete;

    // POSTs `request` to the endpoint's path, signed, and returns the final answer, whatever its
    // status. Connection failures are sent again, and so are answers `retryable` says may
    // succeed later, within the attempts and deadline of the configuration. Throws
    // AwsUnavailable when no answer came.
    AwsResponse post(const AwsRequest& request,
                     const std::function<bool(const AwsResponse&)>& retryable) const;

    const AwsEndpointConfig& config() const noexcept { return config_; }

  private:
    AwsEndpointConfig config_;
    sigv4::Signer signer_;
    std::shared_ptr<objects::S3ConnectionPool> pool_;
};

}  // namespace rekmock::aws
