#include "rules_sets.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schema.hpp"
#include "sqlite_database.hpp"

using rekmock::RulesSetId;
using rekmock::storage::Database;
using rekmock::storage::RulesSets;
using rekmock::storage::Statement;
using rekmock::storage::StorageError;

namespace {

std::int64_t count_of(Database& db, std::string_view sql) {
    Statement query(db, sql);
    REQUIRE(query.step());
    return query.column_int64(0);
}

std::string hex(const std::vector<unsigned char>& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    for (const unsigned char b : bytes) {
        text += kDigits[b >> 4];
        text += kDigits[b & 0xF];
    }
    return text;
}

// A job row naming set `id`, with only the columns the table requires.
void name_set(Database& db, const std::string& job_id, RulesSetId id) {
    Statement insert(db,
                     "INSERT INTO media_analysis_jobs (job_id, creation_ms, status, parts, "
                     "output_bucket, account, region, job_key, rules_set_id) VALUES (?1, 0, "
                     "'SUCCEEDED', 0, 1, 1, 1, 0, ?2)");
    insert.bind(1, std::string_view(job_id));
    insert.bind(2, static_cast<std::int64_t>(id));
    insert.run();
}

RulesSetId intern(RulesSets& sets, std::string_view text) {
    return sets.intern(rekmock::storage::rules_digest(text), text);
}

}  // namespace

TEST_SUITE("rules_sets") {
    TEST_CASE("a rules text's digest is its SHA-256, in C++ and in SQL alike") {
        CHECK(hex(rekmock::storage::rules_digest("abc")) ==
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Database db(":memory:");
        rekmock::storage::define_rules_digest_function(db);
        Statement query(db, "SELECT rekmock_rules_digest(?1), rekmock_rules_digest(NULL) IS NULL");
        const std::string text = "[{\"SourceRef\":\"s3://b/a.jpg\",\"Labels\":[]}]";
        query.bind(1, std::string_view(text));
        REQUIRE(query.step());
        CHECK(query.column_blob(0) == rekmock::storage::rules_digest(text));
        CHECK(query.column_int64(1) == 1);
    }

    TEST_CASE("intern keeps each distinct text once and hands back its id") {
        Database db(":memory:");
        rekmock::storage::migrate(db);
        RulesSets sets(db);
        const std::string first(100000, 'x');
        const std::string second = first + "y";
        const RulesSetId a = intern(sets, first);
        CHECK(intern(sets, first) == a);
        const RulesSetId b = intern(sets, second);
        CHECK(b != a);
        CHECK(intern(sets, second) == b);
        CHECK(intern(sets, "") != a);  // no rules at all is a text too
        CHECK(count_of(db, "SELECT count(*) FROM rules_sets") == 3);
        CHECK(sets.text(a) == first);
        CHECK(sets.text(b) == second);
        CHECK_THROWS_AS(sets.text(RulesSetId{987654}), StorageError);
    }

    TEST_CASE("unused sets are dropped, one or all, and a named one stays") {
        Database db(":memory:");
        rekmock::storage::migrate(db);
        RulesSets sets(db);
        const RulesSetId named = intern(sets, "named");
        const RulesSetId loose = intern(sets, "loose");
        const RulesSetId other = intern(sets, "other");
        name_set(db, "job", named);
        sets.drop_if_unused(named);
        CHECK(sets.text(named) == "named");
        sets.drop_if_unused(loose);
        CHECK_THROWS_AS(sets.text(loose), StorageError);
        CHECK(sets.text(other) == "other");
        sets.drop_unused();
        CHECK_THROWS_AS(sets.text(other), StorageError);
        CHECK(sets.text(named) == "named");
        // A text kept again after it was dropped is a set again.
        CHECK(sets.text(intern(sets, "loose")) == "loose");
    }
}
