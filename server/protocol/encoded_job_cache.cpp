#include "encoded_job_cache.hpp"

#include <mutex>

namespace rekmock::protocol {
namespace {

// Bytes an entry costs beyond its encoded: key, scope, node and bookkeeping, roughly.
constexpr std::size_t kEntryOverhead = 256;

}  // namespace

EncodedJob EncodedJobCache::find(const Scope& scope, std::string_view job_id,
                                 std::uint64_t revision) const {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(job_id);
    if (it == entries_.end() || it->second.revision != revision || !(it->second.scope == scope)) {
        return nullptr;
    }
    return it->second.encoded;
}

void EncodedJobCache::remember(const Scope& scope, const std::string& job_id,
                               std::uint64_t revision, EncodedJob encoded) {
    const std::size_t cost = encoded->size() + job_id.size() + kEntryOverhead;
    if (cost > capacity_bytes_) {
        return;
    }
    std::unique_lock lock(mutex_);
    if (bytes_ + cost > capacity_bytes_) {
        // Starting over keeps this simple and bounded; the entries come back on the next reads.
        entries_.clear();
        bytes_ = 0;
    }
    auto [it, inserted] = entries_.try_emplace(job_id, Entry{scope, revision, encoded});
    if (!inserted) {
        bytes_ -= it->second.encoded->size() + job_id.size() + kEntryOverhead;
        it->second = Entry{scope, revision, std::move(encoded)};
    }
    bytes_ += cost;
}

}  // namespace rekmock::protocol
