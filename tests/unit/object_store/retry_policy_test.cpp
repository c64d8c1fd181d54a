#include "retry_policy.hpp"

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using rekmock::objects::is_retryable_code;
using rekmock::objects::is_retryable_status;
using rekmock::objects::retry_backoff;
using rekmock::objects::RetryAttempts;

TEST_SUITE("retry_policy") {
    TEST_CASE("5xx, 429 and the throttling codes of S3 and AWS JSON APIs are retried") {
        CHECK(is_retryable_status(500));
        CHECK(is_retryable_status(503));
        CHECK(is_retryable_status(429));
        CHECK_FALSE(is_retryable_status(400));
        CHECK_FALSE(is_retryable_status(404));
        for (const char* code : {"SlowDown", "ThrottlingException", "RequestLimitExceeded",
                                 "ProvisionedThroughputExceededException"}) {
            CAPTURE(code);
            CHECK(is_retryable_code(code));
        }
        CHECK_FALSE(is_retryable_code("AccessDeniedException"));
        CHECK_FALSE(is_retryable_code(""));
    }

    TEST_CASE("the backoff doubles from 50 ms to at most 1 s, jittered in its upper half") {
        for (int round = 0; round < 50; ++round) {
            const auto second = retry_backoff(2);
            CHECK(second >= 25ms);
            CHECK(second <= 50ms);
            const auto third = retry_backoff(3);
            CHECK(third >= 50ms);
            CHECK(third <= 100ms);
            const auto late = retry_backoff(20);
            CHECK(late >= 500ms);
            CHECK(late <= 1000ms);
        }
    }

    TEST_CASE("attempts stop at their number, and before a pause that would pass the deadline") {
        RetryAttempts three(3, 10s);
        CHECK(three.attempt() == 1);
        CHECK(three.next());
        CHECK(three.next());
        CHECK(three.attempt() == 3);
        CHECK_FALSE(three.next());
        CHECK_FALSE(three.out_of_time());

        RetryAttempts hurried(10, 20ms);  // the first pause alone (25..50 ms) passes it
        CHECK_FALSE(hurried.next());
        CHECK(hurried.out_of_time());
        CHECK(hurried.remaining() <= 20ms);
    }
}
