#include "sqlite_database.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "test_jobs.hpp"

using rekmock::storage::Database;
using rekmock::storage::Statement;
using rekmock::storage::StatementScope;
using rekmock::storage::StorageError;
using rekmock::storage::Transaction;

namespace {

std::int64_t count_rows(Database& db, const std::string& table) {
    Statement query(db, "SELECT count(*) FROM " + table);
    REQUIRE(query.step());
    return query.column_int64(0);
}

std::string what_of(const auto& action) {
    try {
        action();
    } catch (const StorageError& e) {
        return e.what();
    }
    return "<no StorageError>";
}

}  // namespace

TEST_SUITE("sqlite_database") {
    TEST_CASE("values of every type round-trip through bind and column") {
        Database db(":memory:");
        db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT)");
        Statement insert(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
        const std::vector<unsigned char> blob{0x00, 0xff, 0x10, 0x00};
        insert.bind(1, std::int64_t{-9007199254740993});
        insert.bind(2, 0.1);
        insert.bind(3, std::string_view("h\xc3\xa9llo"));
        insert.bind_blob(4, blob);
        insert.bind_null(5);
        insert.run();

        Statement select(db, "SELECT i, d, s, b, n FROM t");
        REQUIRE(select.step());
        CHECK(select.column_int64(0) == -9007199254740993);
        CHECK(select.column_double(1) == 0.1);
        CHECK(select.column_text(2) == "h\xc3\xa9llo");
        CHECK(select.column_blob(3) == blob);
        CHECK(select.is_null(4));
        CHECK_FALSE(select.is_null(0));
        CHECK(select.column_text(4).empty());
        CHECK_FALSE(select.step());
    }

    TEST_CASE("reset clears bindings so a statement can be reused") {
        Database db(":memory:");
        db.exec("CREATE TABLE t (s TEXT)");
        Statement insert(db, "INSERT INTO t VALUES (?1)");
        insert.bind(1, std::string_view("first"));
        insert.run();
        insert.reset();
        insert.run();  // the binding was cleared: this row is NULL
        insert.reset();
        {
            StatementScope scope(insert);
            insert.bind(1, std::string_view("third"));
            insert.run();
        }
        insert.run();  // the scope reset the statement and cleared its binding again
        Statement select(db, "SELECT s FROM t ORDER BY rowid");
        REQUIRE(select.step());
        CHECK(select.column_text(0) == "first");
        REQUIRE(select.step());
        CHECK(select.is_null(0));
        REQUIRE(select.step());
        CHECK(select.column_text(0) == "third");
        REQUIRE(select.step());
        CHECK(select.is_null(0));
        CHECK_FALSE(select.step());
    }

    TEST_CASE("a statement that skips repeated bindings stores what was bound each time") {
        Database db(":memory:");
        db.exec("CREATE TABLE t (a, b)");
        Statement insert(db, "INSERT INTO t (a, b) VALUES (?1, ?2)");
        insert.skip_repeated_bindings();
        const auto run = [&] {
            insert.run();
            insert.rewind();
        };
        insert.bind(1, std::int64_t{1});
        insert.bind_null(2);
        run();  // 1, NULL
        insert.bind(1, std::int64_t{1});
        insert.bind_null(2);
        run();  // the same again
        insert.bind(1, std::int64_t{1});
        insert.bind(2, std::string_view("x"));
        run();  // 1, 'x'
        insert.bind(1, std::string_view("1"));
        insert.bind_null(2);
        run();  // '1' (text), NULL
        insert.bind(1, std::int64_t{1});
        insert.bind(2, std::int64_t{7});
        run();           // 1 again after the text, 7
        insert.reset();  // clears both to NULL
        insert.bind(1, std::int64_t{1});
        run();  // 1, NULL
        insert.bind_null(1);
        insert.bind(2, 2.5);
        run();  // NULL, 2.5
        insert.bind_null(1);
        insert.bind(2, std::int64_t{7});
        run();  // NULL, 7 after the double
        Statement rows(db, "SELECT quote(a), quote(b) FROM t ORDER BY rowid");
        std::vector<std::string> stored;
        while (rows.step()) {
            stored.push_back(rows.column_text(0) + "," + rows.column_text(1));
        }
        CHECK(stored == std::vector<std::string>{"1,NULL", "1,NULL", "1,'x'", "'1',NULL", "1,7",
                                                 "1,NULL", "NULL,2.5", "NULL,7"});
    }

    TEST_CASE("failures surface as StorageError carrying SQLite's text") {
        Database db(":memory:");
        db.exec("CREATE TABLE t (s TEXT NOT NULL UNIQUE)");

        SUBCASE("invalid SQL in exec") {
            CHECK(what_of([&] { db.exec("CREATE TABLEX nope"); }).find("syntax error") !=
                  std::string::npos);
        }
        SUBCASE("invalid SQL in prepare") {
            CHECK(what_of([&] {
                      Statement s(db, "SELECT * FROM missing_table");
                  }).find("no such table") != std::string::npos);
        }
        SUBCASE("a constraint violation in step") {
            Statement insert(db, "INSERT INTO t VALUES (?1)");
            insert.bind_null(1);
            CHECK(what_of([&] { insert.run(); }).find("NOT NULL") != std::string::npos);
        }
        SUBCASE("a parameter index out of range") {
            Statement insert(db, "INSERT INTO t VALUES (?1)");
            CHECK_THROWS_AS(insert.bind(2, std::int64_t{1}), StorageError);
        }
        SUBCASE("run on a statement that returns a row") {
            Statement select(db, "SELECT 1");
            CHECK_THROWS_AS(select.run(), StorageError);
        }
        SUBCASE("a database in a directory that does not exist") {
            const std::string path = "/nonexistent-rekmock-dir/sub/store.db";
            const std::string message = what_of([&] { Database missing(path); });
            CHECK(message.find(path) != std::string::npos);
        }
    }

    TEST_CASE("a failed write names the file, so the operator knows which store to fix") {
        const rekmock::testing::TempPath path(".db");
        Database db(path.str());
        db.exec("CREATE TABLE t (x)");
        db.exec("PRAGMA query_only = 1");  // fails writes as a read-only file does (root ignores
                                           // file modes, so a test cannot chmod one)
        Statement insert(db, "INSERT INTO t VALUES (1)");
        const std::string step = what_of([&] { insert.run(); });
        CHECK(step.find("readonly") != std::string::npos);
        CHECK(step.find(path.str()) != std::string::npos);
        const std::string exec = what_of([&] { db.exec("DELETE FROM t"); });
        CHECK(exec.find(path.str()) != std::string::npos);
        // An in-memory database has no file to name.
        Database memory(":memory:");
        CHECK(what_of([&] { memory.exec("nonsense"); }).find("store '") == std::string::npos);
    }

    TEST_CASE("a transaction rolls back unless committed") {
        Database db(":memory:");
        db.exec("CREATE TABLE t (i INTEGER)");
        {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1)");
        }
        CHECK(count_rows(db, "t") == 0);
        {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
            transaction.commit();
        }
        CHECK(count_rows(db, "t") == 2);
        // The connection is usable again after either outcome: a new transaction can begin.
        {
            Transaction transaction(db);
            db.exec("DELETE FROM t");
        }
        CHECK(count_rows(db, "t") == 2);
    }

    TEST_CASE("a file database keeps committed data across connections") {
        const rekmock::testing::TempPath path(".db");
        {
            Database db(path.str());
            db.exec("CREATE TABLE t (s TEXT); INSERT INTO t VALUES ('kept')");
        }
        Database reopened(path.str());
        Statement select(reopened, "SELECT s FROM t");
        REQUIRE(select.step());
        CHECK(select.column_text(0) == "kept");
    }

    TEST_CASE("no write begins in a file that was deleted or replaced while open") {
        Database memory(":memory:");
        CHECK_FALSE(memory.file_moved());
        CHECK_NOTHROW(Transaction{memory});

        for (const bool replace : {false, true}) {
            CAPTURE(replace);
            rekmock::testing::TempPath path(".sqlite");
            Database db(path.str());
            db.exec("CREATE TABLE t (s TEXT)");
            CHECK_FALSE(db.file_moved());
            if (replace) {
                rekmock::testing::TempPath other(".sqlite");
                Database(other.str()).exec("CREATE TABLE u (s TEXT)");
                std::filesystem::rename(other.str(), path.str());
            } else {
                std::filesystem::remove(path.str());
            }
            CHECK(db.file_moved());
            const std::string why = what_of([&] { Transaction refused(db); });
            CHECK(why.find(path.str()) != std::string::npos);
            CHECK(why.find("deleted or replaced") != std::string::npos);
            CHECK_THROWS_AS(db.require_file_in_place(), rekmock::storage::StoreFileLost);
        }
    }
}
