#pragma once

// Renderings of settled jobs (the protocol layer's wire bytes; opaque here), so that a page of
// jobs already shown once is answered without reading rows or encoding them again. A settled
// job (lifecycle.hpp) only changes through a store write that moves the store's revision, so
// an entry holds for exactly one revision. Bounded in bytes: when full, it starts over.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "media_analysis_job.hpp"

namespace rekmock::service {

using Rendering = std::shared_ptr<const std::string>;

class RenderedJobCache {
  public:
    explicit RenderedJobCache(std::size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

    // The rendering of `job_id` in `scope` remembered at `revision`, or nullptr.
    Rendering find(const Scope& scope, std::string_view job_id, std::uint64_t revision) const;

    // Remembers `rendering` of a job that was settled when read at `revision`.
    void remember(const Scope& scope, const std::string& job_id, std::uint64_t revision,
                  Rendering rendering);

  private:
    struct Entry {
        Scope scope;
        std::uint64_t revision;
        Rendering rendering;
    };
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };

    const std::size_t capacity_bytes_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
    std::size_t bytes_ = 0;
};

}  // namespace rekmock::service
