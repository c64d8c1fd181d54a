#include "job_key.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "sqlite_database.hpp"

using rekmock::storage::Database;
using rekmock::storage::job_key;
using rekmock::storage::Statement;

TEST_SUITE("job_key") {
    TEST_CASE("keys are 64-bit FNV-1a, fixed forever: file stores keep them") {
        CHECK(static_cast<std::uint64_t>(job_key("")) == 0xcbf29ce484222325ULL);
        CHECK(static_cast<std::uint64_t>(job_key("a")) == 0xaf63dc4c8601ec8cULL);
        CHECK(static_cast<std::uint64_t>(job_key("foobar")) == 0x85944171f73967e8ULL);
        CHECK(job_key("job-1") != job_key("job-2"));
    }

    TEST_CASE("SQL computes the same key as C++") {
        Database db(":memory:");
        rekmock::storage::define_job_key_function(db);
        const std::string id(64, 'f');
        Statement query(db, "SELECT rekmock_job_key(?1), rekmock_job_key(NULL) IS NULL");
        query.bind(1, std::string_view(id));
        REQUIRE(query.step());
        CHECK(query.column_int64(0) == job_key(id));
        CHECK(query.column_int64(1) == 1);
    }
}
