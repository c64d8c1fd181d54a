#include "interned_texts.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "schema.hpp"
#include "sqlite_database.hpp"

using rekmock::storage::Database;
using rekmock::storage::InternedTexts;
using rekmock::storage::Statement;
using rekmock::storage::StorageError;
using rekmock::storage::Transaction;

namespace {

std::int64_t count_of(Database& db, const std::string& sql) {
    Statement query(db, sql);
    REQUIRE(query.step());
    return query.column_int64(0);
}

}  // namespace

TEST_SUITE("interned_texts") {
    TEST_CASE("each distinct text is kept once, and its id names it") {
        Database db(":memory:");
        rekmock::storage::migrate(db);
        InternedTexts texts(db);
        CHECK_FALSE(texts.find("bucket-a").has_value());
        const auto a = texts.intern("bucket-a");
        const auto b = texts.intern("bucket-b");
        const auto empty = texts.intern("");
        CHECK(a != b);
        CHECK(empty != a);
        CHECK(texts.intern("bucket-a") == a);
        CHECK(texts.find("bucket-b") == b);
        CHECK(texts.text(a) == "bucket-a");
        CHECK(texts.text(b) == "bucket-b");
        CHECK(texts.text(empty).empty());
        CHECK(count_of(db, "SELECT count(*) FROM texts") == 3);
        CHECK_THROWS_AS(texts.text(987654), StorageError);
    }

    TEST_CASE("texts kept by another connection are found and read") {
        const std::string name = "file:interned_texts_shared?mode=memory&cache=shared";
        Database mine(name);
        Database other(name);
        rekmock::storage::migrate(mine);
        InternedTexts texts(mine);
        const auto a = texts.intern("a");
        InternedTexts others(other);
        const auto b = others.intern("b");
        CHECK(texts.find("b") == b);
        CHECK(texts.text(b) == "b");
        CHECK(others.text(a) == "a");
    }

    TEST_CASE(
        "a rolled-back transaction takes back the texts it kept, and the cache forgets them") {
        Database db(":memory:");
        rekmock::storage::migrate(db);
        InternedTexts texts(db);
        const auto kept = texts.intern("kept");
        std::int64_t lost = 0;
        {
            Transaction transaction(db);
            lost = texts.intern("lost");
            CHECK(texts.find("lost") == lost);
        }  // rolled back
        CHECK_FALSE(texts.find("lost").has_value());
        CHECK_THROWS_AS(texts.text(lost), StorageError);
        CHECK(texts.text(kept) == "kept");
        // Kept again, it names a row the store holds.
        const auto again = texts.intern("lost");
        CHECK(count_of(db, "SELECT count(*) FROM texts WHERE id = " + std::to_string(again) +
                               " AND text = 'lost'") == 1);
        {
            Transaction transaction(db);
            CHECK(texts.intern("committed") > 0);
            transaction.commit();
        }
        CHECK(texts.find("committed").has_value());
    }

    TEST_CASE("many distinct texts are all found again, past what the cache holds") {
        Database db(":memory:");
        rekmock::storage::migrate(db);
        InternedTexts texts(db);
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 70000; ++i) {
            ids.push_back(texts.intern("text-" + std::to_string(i)));
        }
        for (int i = 0; i < 70000; i += 997) {
            INFO(i);
            CHECK(texts.find("text-" + std::to_string(i)) == ids[static_cast<std::size_t>(i)]);
            CHECK(texts.text(ids[static_cast<std::size_t>(i)]) == "text-" + std::to_string(i));
        }
        CHECK(count_of(db, "SELECT count(*) FROM texts") == 70000);
    }
}
