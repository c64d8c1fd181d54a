#pragma once

// A token bucket: `rate` tokens a second up to `burst` of them, full at first. What AWS's
// throughput quotas and a rate-limited fault rule both count calls with. Not thread-safe: its
// owner locks.

#include <algorithm>
#include <chrono>

namespace rekmock::protocol {

class TokenBucket {
  public:
    using Clock = std::chrono::steady_clock;

    // `rate` > 0 tokens a second, at most `burst` (>= 1) held.
    TokenBucket(double rate, double burst, Clock::time_point now)
        : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

    // Takes a token if one has accrued by `now`; false (and nothing taken) otherwise.
    bool take(Clock::time_point now) {
        if (now > last_) {
            const std::chrono::duration<double> elapsed = now - last_;
            tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
            last_ = now;
        }
        if (tokens_ < 1.0) {
            return false;
        }
        tokens_ -= 1.0;
        return true;
    }

  private:
    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

}  // namespace rekmock::protocol
