#pragma once

// A service::Clock that moves only when a test moves it. Include only from executables that
// link the service layer.

#include <chrono>
#include <cstdint>

#include "clock.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::testing {

class ManualClock final : public service::Clock {
  public:
    explicit ManualClock(Timestamp start = Timestamp(std::chrono::milliseconds(1'700'000'000'000)))
        : now_(start) {}

    Timestamp now() const override { return now_; }

    void set(Timestamp at) { now_ = at; }
    void advance(std::chrono::milliseconds by) { now_ += by; }

  private:
    Timestamp now_;
};

}  // namespace rekmock::testing
