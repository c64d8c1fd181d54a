#include "request_journal.hpp"

#include <algorithm>

namespace rekmock::protocol {

void RequestJournal::record(RequestRecord entry) {
    std::lock_guard lock(mutex_);
    records_.push_back(std::move(entry));
    while (records_.size() > capacity_) {
        records_.pop_front();
    }
}

std::vector<RequestRecord> RequestJournal::recent(std::size_t limit) const {
    std::lock_guard lock(mutex_);
    const std::size_t count = std::min(limit, records_.size());
    return std::vector<RequestRecord>(records_.end() - static_cast<std::ptrdiff_t>(count),
                                      records_.end());
}

void RequestJournal::clear() {
    std::lock_guard lock(mutex_);
    records_.clear();
}

}  // namespace rekmock::protocol
