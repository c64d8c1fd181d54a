#include "rules_sets.hpp"

#include <cstdint>

#include "digest.hpp"

namespace rekmock::storage {
namespace {

void rules_digest_sql(sqlite3_context* context, int, sqlite3_value** arguments) {
    const auto text = text_argument(arguments[0]);
    if (!text) {
        sqlite3_result_null(context);
        return;
    }
    const auto digest = rules_digest(*text);
    sqlite3_result_blob(context, digest.data(), static_cast<int>(digest.size()), SQLITE_TRANSIENT);
}

// The unused test probes the partial index of migration 8 (jobs that name a set): one descent
// per set, whatever the number of jobs.
constexpr std::string_view kUnused =
    "NOT EXISTS (SELECT 1 FROM media_analysis_jobs WHERE rules_set_id = rules_sets.id)";

std::string drop_sql(std::string_view where) {
    std::string sql = "DELETE FROM rules_sets WHERE ";
    return sql.append(where).append(kUnused);
}

}  // namespace

std::vector<unsigned char> rules_digest(std::string_view text) {
    const crypto::Sha256Digest digest = crypto::sha256(text);
    return {digest.begin(), digest.end()};
}

void define_rules_digest_function(Database& db) {
    db.define_function("rekmock_rules_digest", 1, rules_digest_sql);
}

RulesSets::RulesSets(Database& db)
    : find_(db, "SELECT id FROM rules_sets WHERE digest = ?1"),
      insert_(db, "INSERT INTO rules_sets (digest, text) VALUES (?1, ?2) RETURNING id"),
      read_(db, "SELECT text FROM rules_sets WHERE id = ?1"),
      drop_one_(db, drop_sql("id = ?1 AND ")),
      drop_all_unused_(db, drop_sql("")) {}

RulesSetId RulesSets::intern(const std::vector<unsigned char>& digest, std::string_view text) {
    {
        StatementScope reset(find_);
        find_.bind_blob(1, digest);
        if (find_.step()) {
            return RulesSetId{find_.column_int64(0)};
        }
    }
    StatementScope reset(insert_);
    insert_.bind_blob(1, digest);
    insert_.bind_borrowed(2, text);
    if (!insert_.step()) {
        throw StorageError("a rules set was not kept");
    }
    // SQLite makes every change of a statement with RETURNING in its first step.
    return RulesSetId{insert_.column_int64(0)};
}

std::string RulesSets::text(RulesSetId id) {
    StatementScope reset(read_);
    read_.bind(1, static_cast<std::int64_t>(id));
    if (!read_.step()) {
        throw StorageError("no rules set " + std::to_string(static_cast<std::int64_t>(id)) +
                           " in the store");
    }
    return read_.column_text(0);
}

void RulesSets::drop_if_unused(RulesSetId id) {
    StatementScope reset(drop_one_);
    drop_one_.bind(1, static_cast<std::int64_t>(id));
    drop_one_.run();
}

void RulesSets::drop_unused() {
    StatementScope reset(drop_all_unused_);
    drop_all_unused_.run();
}

}  // namespace rekmock::storage
