#include "rendered_job_cache.hpp"

#include <mutex>

namespace rekmock::service {
namespace {

// Bytes an entry costs beyond its rendering: key, scope, node and bookkeeping, roughly.
constexpr std::size_t kEntryOverhead = 256;

}  // namespace

Rendering RenderedJobCache::find(const Scope& scope, std::string_view job_id,
                                 std::uint64_t revision) const {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(job_id);
    if (it == entries_.end() || it->second.revision != revision || !(it->second.scope == scope)) {
        return nullptr;
    }
    return it->second.rendering;
}

void RenderedJobCache::remember(const Scope& scope, const std::string& job_id,
                                std::uint64_t revision, Rendering rendering) {
    const std::size_t cost = rendering->size() + job_id.size() + kEntryOverhead;
    if (cost > capacity_bytes_) {
        return;
    }
    std::unique_lock lock(mutex_);
    if (bytes_ + cost > capacity_bytes_) {
        // Starting over keeps this simple and bounded; the entries come back on the next reads.
        entries_.clear();
        bytes_ = 0;
    }
    auto [it, inserted] = entries_.try_emplace(job_id, Entry{scope, revision, rendering});
    if (!inserted) {
        bytes_ -= it->second.rendering->size() + job_id.size() + kEntryOverhead;
        it->second = Entry{scope, revision, std::move(rendering)};
    }
    bytes_ += cost;
}

}  // namespace rekmock::service
