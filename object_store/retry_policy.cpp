#include "retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <thread>

namespace rekmock::objects {

bool is_retryable_status(unsigned status) {
    return status >= 500 || status == 429;
}

bool is_retryable_code(std::string_view code) {
    // S3 answers 503 SlowDown; other S3-compatible servers and proxies throttle with 429 or a 400
    // carrying one of the AWS SDKs' throttling codes; Rekognition names its own two.
    static constexpr std::array<std::string_view, 8> kCodes{
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestLimitExceeded",
        "InternalError",
        "ProvisionedThroughputExceededException"};
    return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

std::chrono::milliseconds retry_backoff(unsigned attempt) {
    const auto ceiling =
        std::min<std::int64_t>(1000, std::int64_t{50} << std::min(attempt - 2, 5u));
    thread_local std::minstd_rand random(std::random_device{}());
    std::uniform_int_distribution<std::int64_t> jitter(0, ceiling / 2);
    return std::chrono::milliseconds(ceiling / 2 + jitter(random));
}

RetryAttempts::RetryAttempts(unsigned max_attempts, std::chrono::milliseconds deadline)
    : deadline_(Clock::now() + deadline), max_attempts_(max_attempts) {}

bool RetryAttempts::next() {
    if (++attempt_ > max_attempts_) {
        return false;
    }
    const auto pause = retry_backoff(attempt_);
    // A pause that ends at the deadline leaves the attempt after it no time at all.
    if (Clock::now() + pause >= deadline_) {
        out_of_time_ = true;
        return false;
    }
    std::this_thread::sleep_for(pause);
    return true;
}

}  // namespace rekmock::objects
