#pragma once

// The time the lifecycle is computed at. An interface so tests (and, later, a control endpoint)
// can move time without sleeping.

#include <chrono>

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

// The process-wide system clock, for callers that do not steer time.
inline const SystemClock& system_clock() {
    static const SystemClock clock;
    return clock;
}

}  // namespace rekmock::service
