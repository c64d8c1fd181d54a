#include "schema.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "job_store.hpp"
#include "sqlite_database.hpp"
#include "test_jobs.hpp"

using rekmock::storage::current_schema_version;
using rekmock::storage::Database;
using rekmock::storage::JobStore;
using rekmock::storage::migrate;
using rekmock::storage::Statement;
using rekmock::storage::StorageError;

namespace {

int user_version(Database& db) {
    Statement query(db, "PRAGMA user_version");
    REQUIRE(query.step());
    return static_cast<int>(query.column_int64(0));
}

std::vector<unsigned char> stored_secret(Database& db) {
    Statement query(db, "SELECT value FROM store_meta WHERE key = 'pagination_token_secret'");
    REQUIRE(query.step());
    return query.column_blob(0);
}

}  // namespace

TEST_SUITE("schema") {
    TEST_CASE("migrate brings a new database to the current schema version") {
        Database db(":memory:");
        CHECK(user_version(db) == 0);
        migrate(db);
        CHECK(current_schema_version() >= 1);
        CHECK(user_version(db) == current_schema_version());
        Statement tables(db,
                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                         "('store_meta', 'media_analysis_jobs')");
        REQUIRE(tables.step());
        CHECK(tables.column_int64(0) == 2);
        CHECK(stored_secret(db).size() == 32);
    }

    TEST_CASE("migrate is idempotent and keeps the secret") {
        Database db(":memory:");
        migrate(db);
        const auto secret = stored_secret(db);
        migrate(db);
        CHECK(user_version(db) == current_schema_version());
        CHECK(stored_secret(db) == secret);
    }

    TEST_CASE("a store written by a newer build is refused") {
        SUBCASE("migrate on a database") {
            Database db(":memory:");
            migrate(db);
            db.exec("PRAGMA user_version = " + std::to_string(current_schema_version() + 1));
            CHECK_THROWS_AS(migrate(db), StorageError);
        }
        SUBCASE("JobStore on a file") {
            const rekmock::testing::TempPath path(".db");
            { JobStore store(path.str()); }
            {
                Database db(path.str());
                db.exec("PRAGMA user_version = " + std::to_string(current_schema_version() + 5));
            }
            bool refused = false;
            try {
                JobStore store(path.str());
            } catch (const StorageError& e) {
                refused = true;
                CHECK(std::string(e.what()).find("newer") != std::string::npos);
            }
            CHECK(refused);
        }
    }

    TEST_CASE("a file store records the current schema version") {
        const rekmock::testing::TempPath path(".db");
        { JobStore store(path.str()); }
        Database db(path.str());
        CHECK(user_version(db) == current_schema_version());
    }
}
