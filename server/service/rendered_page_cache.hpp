#pragma once

// Whole pages of remembered renderings (see rendered_job_cache.hpp), so that a page asked for
// again, as pollers do with the first page, is answered without even the index query. A page
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

#include "media_analysis_job.hpp"
#include "rendered_job_cache.hpp"

namespace rekmock::service {

// What a page was read at: the store's revision() and insertions().
struct StoreVersion {
    std::uint64_t revision = 0;
    std::uint64_t insertions = 0;
    bool operator==(const StoreVersion&) const = default;
};

struct RenderedPage {
    std::vector<Rendering> renderings;
    std::optional<std::string> next_token;
};

class RenderedPageCache {
  public:
    explicit RenderedPageCache(std::size_t max_pages) : max_pages_(max_pages) {}

    // The key of the page of `size` jobs of `scope` that `next_token` names ("" for the first).
    static std::string key(const Scope& scope, std::string_view next_token, std::size_t size);

    // The page remembered under `key` at `version`, or nullptr; shared, so a hit copies nothing.
    std::shared_ptr<const RenderedPage> find(const std::string& key,
                                             const StoreVersion& version) const;

    // Remembers `page`, read at `version`.
    void remember(std::string key, const StoreVersion& version, RenderedPage page);

  private:
    struct Entry {
        StoreVersion version;
        std::shared_ptr<const RenderedPage> page;
    };
    const std::size_t max_pages_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rekmock::service
