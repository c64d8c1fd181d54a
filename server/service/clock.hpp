#pragma once

// The time the lifecycle is computed at. An interface so tests and the control plane's
// /_mock/clock/advance can move time without sleeping.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "media_analysis_job.hpp"

namespace rekmock::service {

class Clock {
  public:
    virtual ~Clock() = default;
    // The current instant, at millisecond precision.
    virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
  public:
    Timestamp now() const override {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now());
    }
};

// The latest instant a steered clock may show, 9996-01-01T00:00:00Z: a job started then still
// completes inside year 9999, the last the model's timestamps hold (dumps spell them in ISO-8601,
// and the lifecycle's kNever is its last millisecond). The four years' margin is the longest
// lifecycle (three states of at most 365 days, as the --*-duration options allow) and a year of
// real time passing after the advance.
inline constexpr Timestamp kLatestClock{std::chrono::milliseconds{253276070400000}};
inline constexpr const char* kLatestClockText = "9996-01-01T00:00:00Z";

// An advance that would take the clock past kLatestClock.
class ClockOutOfRange : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The system clock moved forward by an offset that tests advance, so a polling client can be
// tested without sleeping. Thread-safe.
class SteerableClock final : public Clock {
  public:
    Timestamp now() const override { return system_clock_.now() + offset(); }
    // Moves this clock `by` forward; returns the new offset from the system clock. Throws
    // ClockOutOfRange, moving nothing, when the clock would then show a time past kLatestClock.
    std::chrono::milliseconds advance(std::chrono::milliseconds by) {
        std::int64_t offset = offset_ms_.load();
        // A loop rather than fetch_add, so that two advances racing cannot pass the limit.
        while (true) {
            const std::chrono::milliseconds moved(offset + by.count());
            if (system_clock_.now() + moved > kLatestClock) {
                throw ClockOutOfRange(std::string("the lifecycle clock cannot pass ") +
                                      kLatestClockText +
                                      ": a job started later could not complete within year "
                                      "9999, the last the model's timestamps hold");
            }
            if (offset_ms_.compare_exchange_weak(offset, moved.count())) {
                return moved;
            }
        }
    }
    // Back to the system clock.
    void reset() { offset_ms_.store(0); }
    std::chrono::milliseconds offset() const {
        return std::chrono::milliseconds(offset_ms_.load());
    }

  private:
    SystemClock system_clock_;
    std::atomic<std::int64_t> offset_ms_{0};
};

// The process-wide system clock, for callers that do not steer time.
inline const SystemClock& system_clock() {
    static const SystemClock clock;
    return clock;
}

}  // namespace rekmock::service
