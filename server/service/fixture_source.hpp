#pragma once

// Fixture documents loaded into the store, each load one transaction of the store's: the port
// through which the control plane resets and seeds (the fixtures layer implements it).

#include <optional>
#include <stdexcept>
#include <string_view>

#include "job_store.hpp"
#include "scope.hpp"

namespace rekmock::service {

// Why documents do not load, naming the document, the job and the member: the one error of a
// source's that its caller may answer (the fixtures layer's FixtureError is one).
class FixturesNotLoadable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class FixtureSource {
  public:
    virtual ~FixtureSource() = default;
    // Replaces the jobs and idempotency tokens of `scope` (of every scope) with the jobs the
    // fixture files the server started with hold for it, read again; throws, changing nothing,
    // when they no longer load (FixturesNotLoadable when the files are at fault).
    virtual storage::LoadResult reload(const std::optional<Scope>& scope) = 0;
    // Stores the jobs of the fixture document `text`, replacing jobs with the same JobId; all
    // or nothing (FixturesNotLoadable when `text` is at fault).
    virtual storage::LoadResult seed(std::string_view text) = 0;
    // Drops what the files put in force besides jobs (moderation rules) for `scope` (for every
    // scope): a reset that does not reload them.
    virtual void clear(const std::optional<Scope>& scope) = 0;
};

}  // namespace rekmock::service
