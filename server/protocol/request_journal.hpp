#pragma once

// The most recent AWS requests the mock answered, so a test can assert what its code called.
// A bounded ring: old entries fall off. Thread-safe.

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::protocol {

struct RequestRecord {
    Timestamp time{};
    std::string request_id;
    std::string operation;  // "" when X-Amz-Target named none
    Scope caller;
    unsigned status = 0;
    std::string error_type;  // "" on success
};

class RequestJournal {
  public:
    explicit RequestJournal(std::size_t capacity = 1000) : capacity_(capacity) {}

    // Appends a record, dropping the oldest beyond capacity.
    void record(RequestRecord entry);
    // The last `limit` records, oldest first.
    std::vector<RequestRecord> recent(std::size_t limit) const;
    // Forgets every record.
    void clear();

  private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<RequestRecord> records_;
};

}  // namespace rekmock::protocol
