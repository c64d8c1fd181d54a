#pragma once

// The moderation rules texts that started jobs froze, each distinct text kept once in the
// rules_sets table (schema migration 8) and named by its jobs (media_analysis_jobs.rules_set_id).
// A megabyte of rules then costs the store a megabyte however many jobs froze it, and only the
// work that applies a job's rules reads them: List, Get and the scan for pending work read ids.

#include <string>
#include <string_view>
#include <vector>

#include "media_analysis_job.hpp"
#include "sqlite_database.hpp"

namespace rekmock::storage {

// The SHA-256 of a rules text: the key it is kept once under. Equal digests are taken for equal
// texts, as content-addressed stores take them: a collision is beyond reach.
std::vector<unsigned char> rules_digest(std::string_view text);

// Makes rules_digest available to SQL on `db` as rekmock_rules_digest(text): migration 8 keeps
// the texts stored with each job before it once.
void define_rules_digest_function(Database& db);

// The statements of the rules_sets table, compiled once on a migrated store. Not thread-safe:
// the job store calls it under its lock, inside the transaction that writes the jobs naming the
// sets, so a set and its jobs come and go together.
class RulesSets {
  public:
    // Compiles the statements on `db`, which must be migrated and outlive this.
    explicit RulesSets(Database& db);

    // The set holding `text`, whose rules_digest() is `digest` (computed by the caller, outside
    // its locks: a megabyte takes milliseconds), kept now if no set holds it yet.
    RulesSetId intern(const std::vector<unsigned char>& digest, std::string_view text);

    // The text of set `id`; StorageError when the store holds no such set.
    std::string text(RulesSetId id);

    // Removes set `id` if no job names it any more.
    void drop_if_unused(RulesSetId id);

    // Removes every set no job names, after a write that removed jobs wholesale.
    void drop_unused();

  private:
    Statement find_;
    Statement insert_;
    Statement read_;
    Statement drop_one_;
    Statement drop_all_unused_;
};

}  // namespace rekmock::storage
