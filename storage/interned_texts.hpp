#pragma once

// Texts that repeat from job to job (accounts, regions, buckets, key prefixes, KMS keys, model
// versions, failure codes), each kept once in the texts table (schema migration 9) and named by
// its id in media_analysis_jobs: a million jobs in four buckets hold four bucket names, not four
// million. A text is never deleted and an id never reused, so an id names the same text for the
// life of the store, in every process that opens it, and the cache here is never stale; only a
// transaction that is rolled back takes texts back (those it kept), so a rollback empties it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite_database.hpp"

namespace rekmock::storage {

class InternedTexts {
  public:
    // Compiles the statements on `db`, which must be migrated and outlive this, and takes its
    // rollback hook. Not thread-safe: the job store calls it under its lock.
    explicit InternedTexts(Database& db);
    ~InternedTexts();
    InternedTexts(const InternedTexts&) = delete;
    InternedTexts& operator=(const InternedTexts&) = delete;

    // The id of `text`, kept now if the store holds no such text: call it inside the write
    // transaction that stores the jobs naming it.
    std::int64_t intern(std::string_view text);

    // The id of `text`, or std::nullopt when the store holds no such text (so no job names it).
    std::optional<std::int64_t> find(std::string_view text);

    // The text of `id`, valid until the next call; StorageError when the store holds none.
    const std::string& text(std::int64_t id);

  private:
    struct Slot {
        std::uint64_t hash = 0;
        std::int64_t id = 0;  // 0: empty (SQLite gives ids from 1)
    };
    static void rolled_back(void* self) noexcept;
    std::optional<std::int64_t> cached(std::string_view text, std::uint64_t hash) const;
    std::int64_t remember(std::int64_t id, std::string_view text, std::uint64_t hash);
    void forget() noexcept;

    Database& db_;
    Statement find_;
    Statement insert_;
    Statement read_;
    // The cache: texts by id, and an open-addressed table from a text's hash to its id (at most
    // half full), bounded so that a store of unusually many distinct texts costs no more.
    std::vector<std::unique_ptr<const std::string>> by_id_;
    std::vector<Slot> slots_;
    std::size_t cached_ = 0;
    std::string uncached_;  // text()'s answer when the cache cannot hold it
};

}  // namespace rekmock::storage
