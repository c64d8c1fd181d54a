#pragma once

// The wire form of settled jobs, so that a job already shown once is answered, alone or on a
// page, without encoding it again. A settled job (lifecycle.hpp) only changes through a store
// write that moves the store's revision (ours, or another server's on a shared file: see
// JobStore::revision), so an entry holds for exactly one revision. Bounded in
// bytes: when full, it starts over.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "media_analysis_job.hpp"

namespace rekmock::protocol {

using EncodedJob = std::shared_ptr<const std::string>;

class EncodedJobCache {
  public:
    explicit EncodedJobCache(std::size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

    // The encoded of `job_id` in `scope` remembered at `revision`, or nullptr.
    EncodedJob find(const Scope& scope, std::string_view job_id, std::uint64_t revision) const;

    // Remembers `encoded` of a job that was settled when read at `revision`.
    void remember(const Scope& scope, const std::string& job_id, std::uint64_t revision,
                  EncodedJob encoded);

  private:
    struct Entry {
        Scope scope;
        std::uint64_t revision;
        EncodedJob encoded;
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

}  // namespace rekmock::protocol
