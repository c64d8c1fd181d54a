#include "job_columns.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "schema.hpp"
#include "sqlite_database.hpp"

using rekmock::storage::Database;
using rekmock::storage::job_insert_sql;
using rekmock::storage::job_select_list;
using rekmock::storage::migrate;
using rekmock::storage::name_from_stored;
using rekmock::storage::Statement;
using rekmock::storage::StorageError;
using rekmock::storage::stored_name;

namespace {

// The columns of media_analysis_jobs as the migrations leave them, in table order, but `except`.
std::string table_columns(std::string_view except = {}) {
    Database db(":memory:");
    migrate(db);
    Statement columns(db, "SELECT name FROM pragma_table_info('media_analysis_jobs') ORDER BY cid");
    std::string names;
    while (columns.step()) {
        if (const auto name = columns.column_text(0); name != except) {
            names += (names.empty() ? "" : ", ") + name;
        }
    }
    return names;
}

}  // namespace

TEST_SUITE("job_columns") {
    TEST_CASE("a job is inserted into every column of the table, a parameter each") {
        const auto columns = table_columns();
        std::string parameters = "?";
        for (const char c : columns) {
            parameters += c == ',' ? ", ?" : "";
        }
        CHECK(job_insert_sql() ==
              "INSERT INTO media_analysis_jobs (" + columns + ") VALUES (" + parameters + ")");
    }

    TEST_CASE("a job is read from every column but job_key, which is derived from its JobId") {
        CHECK(job_select_list() == table_columns("job_key"));
    }

    TEST_CASE("a name that holds its JobId is stored without it and read back whole") {
        const std::string id = "63cbe1e459320dd7044c3cd7f43c661ce6984080bab12a02953aeb70673e29cb";
        for (const std::string& name :
             std::vector<std::string>{"output/" + id + "/results.jsonl",
                                      "out/" + id + "-manifest-summary.json", id, id + "/" + id,
                                      "pr\xc3\xa9"
                                      "fixe/" +
                                          id + "/r\xc3\xa9sultats.jsonl",
                                      std::string(70000, 'x') + id}) {
            INFO(name.size());
            std::string blob;
            const bool without_id = stored_name(name, id, blob);
            CHECK(without_id == (name.find(id) <= 0xFFFF));
            if (without_id) {
                CHECK(blob.size() == name.size() - id.size() + 2);
                CHECK(name_from_stored(blob, id) == name);
            }
        }
        std::string blob;
        CHECK_FALSE(stored_name("output/other/results.jsonl", id, blob));
        CHECK_FALSE(stored_name("output/x", "", blob));
    }

    TEST_CASE("a stored name no store could hold is refused as corrupt") {
        CHECK_THROWS_AS(name_from_stored("", "id"), StorageError);
        CHECK_THROWS_AS(name_from_stored(std::string("\x05\x00"
                                                     "abc",
                                                     5),
                                         "id"),
                        StorageError);
        CHECK(name_from_stored(std::string("\x03\x00"
                                           "abc",
                                           5),
                               "id") == "abcid");
    }

    TEST_CASE("SQL's rekmock_stored_name is the stored form: a blob, or the name as text") {
        Database db(":memory:");
        rekmock::storage::define_stored_name_function(db);
        Statement query(db,
                        "SELECT rekmock_stored_name('out/abc-r.json', 'abc'), "
                        "typeof(rekmock_stored_name('out/other', 'abc')), "
                        "rekmock_stored_name('out/other', 'abc'), "
                        "rekmock_stored_name(NULL, 'abc') IS NULL");
        REQUIRE(query.step());
        std::string blob;
        REQUIRE(stored_name("out/abc-r.json", "abc", blob));
        CHECK(query.column_bytes(0) == blob);
        CHECK(query.column_text(1) == "text");
        CHECK(query.column_text(2) == "out/other");
        CHECK(query.column_int64(3) == 1);
    }
}
