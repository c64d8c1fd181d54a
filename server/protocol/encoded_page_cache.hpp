#pragma once

// Whole pages of encoded settled jobs (see encoded_job_cache.hpp), so that a page asked for
// again, as pollers and paginators do, is answered with no query at all. A page
// holds while the store's revision and its count of started jobs are what they were when the
// page was read: a started job can land on any page of its scope (its CreationTimestamp is
// the clock's, which fixtures may be ahead of), so any start forgets every page.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "encoded_job_cache.hpp"
#include "media_analysis_job.hpp"
#include "media_analysis_service.hpp"

namespace rekmock::protocol {

struct EncodedPage {
    std::vector<EncodedJob> jobs;
    std::optional<std::string> next_token;
};

class EncodedPageCache {
  public:
    explicit EncodedPageCache(std::size_t max_pages) : max_pages_(max_pages) {}

    // The key of the page of `max_results` jobs of `scope` that `next_token` names ("" for the
    // first).
    static std::string key(const Scope& scope, std::string_view next_token,
                           std::optional<std::int64_t> max_results);

    // The page remembered under `key` at `version`, or nullptr; shared, so a hit copies nothing.
    std::shared_ptr<const EncodedPage> find(const std::string& key,
                                            const service::StoreVersion& version) const;

    // Remembers `page`, read at `version`.
    void remember(std::string key, const service::StoreVersion& version, EncodedPage page);

  private:
    struct Entry {
        service::StoreVersion version;
        std::shared_ptr<const EncodedPage> page;
    };
    const std::size_t max_pages_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rekmock::protocol
