#include "encoded_page_cache.hpp"

#include <mutex>

namespace rekmock::protocol {

std::string EncodedPageCache::key(const Scope& scope, std::string_view next_token,
                                  std::optional<std::int64_t> max_results) {
    // Only the last part, the token as sent, may hold a newline: keys cannot collide.
    std::string key = scope.account;
    key.append("\n").append(scope.region).append("\n");
    key.append(max_results ? std::to_string(*max_results) : "");
    key.append("\n").append(next_token);
    return key;
}

std::shared_ptr<const EncodedPage> EncodedPageCache::find(
    const std::string& key, const service::StoreVersion& version) const {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || !(it->second.version == version)) {
        return nullptr;
    }
    return it->second.page;
}

void EncodedPageCache::remember(std::string key, const service::StoreVersion& version,
                                EncodedPage page) {
    std::unique_lock lock(mutex_);
    if (entries_.size() >= max_pages_ && entries_.find(key) == entries_.end()) {
        entries_.clear();  // bounded and simple; pages come back on the next reads
    }
    entries_.insert_or_assign(std::move(key),
                              Entry{version, std::make_shared<const EncodedPage>(std::move(page))});
}

}  // namespace rekmock::protocol
