#pragma once

// What a test run used, per account and region, as AWS would bill and throttle it: the images
// bulk analysis processed (what it bills), the manifest lines its summaries refused, and the API
// calls per operation. Kept in memory since the start or the last reset: a test run's meter, not
// an account's history. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scope.hpp"

namespace rekmock::service {

struct CallCount {
    std::uint64_t calls = 0;
    std::uint64_t errors = 0;  // answered with a status of 400 or more
};

struct JobUsage {
    std::string job_id;
    std::uint64_t images_processed = 0;
    std::uint64_t lines_refused = 0;
};

struct ScopeUsage {
    std::uint64_t images_processed = 0;
    std::uint64_t lines_refused = 0;
    std::map<std::string, CallCount, std::less<>> calls;  // by operation
    std::vector<JobUsage> jobs;                           // in the order their work ended
};

class UsageMeter {
  public:
    // Counts a call to `operation` answered in `scope`.
    void count_call(const Scope& scope, std::string_view operation, bool error);
    // Counts the work of job `job_id`, done once: the images it processed and lines it refused.
    void count_work(const Scope& scope, const std::string& job_id, std::uint64_t images_processed,
                    std::uint64_t lines_refused);
    // What `scope` used.
    ScopeUsage of(const Scope& scope) const;
    // Forgets what `scope` used, every scope's when none is named.
    void clear(const std::optional<Scope>& scope = std::nullopt);

  private:
    mutable std::mutex mutex_;
    std::map<Scope, ScopeUsage> scopes_;
};

}  // namespace rekmock::service
