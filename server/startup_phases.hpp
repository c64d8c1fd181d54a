#pragma once

// How long each step of start-up took, for the "started" log line: the breakdown a slow start
// (a large fixture file, a slow disk for --db) is diagnosed from, and what the benchmark's cold
// start is made of.

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace rekmock {

class StartupPhases {
  public:
    // Ends the step begun at the previous mark (or at construction) and names it `step`.
    void mark(const std::string& step) {
        const auto now = std::chrono::steady_clock::now();
        const std::chrono::duration<double, std::milli> took = now - last_;
        // Microsecond resolution is all a reader needs, and it keeps the line short.
        steps_[step] = std::round(took.count() * 1000.0) / 1000.0;
        last_ = now;
    }
    // Each step's milliseconds, in the order marked.
    const nlohmann::ordered_json& milliseconds() const noexcept { return steps_; }

  private:
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
    nlohmann::ordered_json steps_ = nlohmann::ordered_json::object();
};

}  // namespace rekmock
