#include "rendered_page_cache.hpp"

#include <chrono>
#include <mutex>

namespace rekmock::service {

std::string RenderedPageCache::key(const Scope& scope, const std::optional<JobCursor>& after,
                                   std::size_t size) {
    // Newlines cannot occur in accounts, regions or JobIds, so the parts cannot run together.
    std::string key = scope.account;
    key.append("\n").append(scope.region).append("\n").append(std::to_string(size));
    if (after) {
        const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                                after->creation_timestamp.time_since_epoch())
                                .count();
        key.append("\n").append(std::to_string(millis)).append("\n").append(after->job_id);
    }
    return key;
}

std::optional<RenderedPage> RenderedPageCache::find(const std::string& key,
                                                    const StoreVersion& version) const {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || !(it->second.version == version)) {
        return std::nullopt;
    }
    return it->second.page;
}

void RenderedPageCache::remember(std::string key, const StoreVersion& version, RenderedPage page) {
    std::unique_lock lock(mutex_);
    if (entries_.size() >= max_pages_ && entries_.find(key) == entries_.end()) {
        entries_.clear();  // bounded and simple; pages come back on the next reads
    }
    entries_.insert_or_assign(std::move(key), Entry{version, std::move(page)});
}

}  // namespace rekmock::service
