#include "job_columns.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "schema.hpp"
#include "sqlite_database.hpp"

using rekmock::storage::Database;
using rekmock::storage::job_insert_sql;
using rekmock::storage::job_select_list;
using rekmock::storage::migrate;
using rekmock::storage::Statement;

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
}
