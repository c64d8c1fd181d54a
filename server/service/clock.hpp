#pragma once

// The time the lifecycle is computed at. An interface so tests and the control plane's
// /_mock/clock/advance can move time without sleeping.

#include <atomic>
#include <chrono>
#include <cstdint>

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

// The system clock moved forward by an offset that tests advance, so a polling client can be
// tested without sleeping. Thread-safe.
class SteerableClock final : public Clock {
  public:
    Timestamp now() const override { return system_clock_.now() + offset(); }
    // Moves this clock `by` forward; returns the new offset from the system clock.
    std::chrono::milliseconds advance(std::chrono::milliseconds by) {
        return std::chrono::milliseconds(offset_ms_.fetch_add(by.count()) + by.count());
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
