#pragma once

// When a request to a server is worth sending again, and how long to wait first: the one retry
// policy of the mock's HTTP clients (the S3 store's, and aws_client/'s calls to AWS APIs).
// Connection errors, 5xx, 429 and throttling codes are retried, with a backoff of 50 ms doubling
// to at most 1 s, jittered, within a number of attempts and a deadline per request.

#include <chrono>
#include <string_view>

namespace rekmock::objects {

// Whether an answer of HTTP `status` may succeed if sent again: a 5xx or a 429.
bool is_retryable_status(unsigned status);

// Whether `code` (an S3 <Code>, an AWS JSON __type's name) says the server throttled the request
// or failed inside: SlowDown, ThrottlingException, ProvisionedThroughputExceededException, ...
bool is_retryable_code(std::string_view code);

// The pause before attempt `attempt` (2, 3, ...): 50 ms doubling to at most 1 s, with "equal
// jitter" so that clients throttled together do not come back together.
std::chrono::milliseconds retry_backoff(unsigned attempt);

// The attempts of one request: at most `max_attempts`, all within `deadline` of its start.
class RetryAttempts {
  public:
    using Clock = std::chrono::steady_clock;

    RetryAttempts(unsigned max_attempts, std::chrono::milliseconds deadline);

    // The time left before the deadline; zero or less once it passed.
    Clock::duration remaining() const { return deadline_ - Clock::now(); }
    // Sleeps the backoff before another attempt and returns true; false when the attempts are
    // spent or the pause would reach the deadline (out_of_time() then says so).
    bool next();
    // Records that the deadline passed before an attempt could start.
    void run_out_of_time() noexcept { out_of_time_ = true; }

    unsigned attempt() const noexcept { return attempt_; }  // 1 for the first
    bool out_of_time() const noexcept { return out_of_time_; }

  private:
    Clock::time_point deadline_;
    unsigned max_attempts_;
    unsigned attempt_ = 1;
    bool out_of_time_ = false;
};

}  // namespace rekmock::objects
