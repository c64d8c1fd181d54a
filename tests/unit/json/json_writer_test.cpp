#include "json_writer.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

using rekmock::json::JsonWriter;
using OJson = nlohmann::ordered_json;

namespace {

std::string string_value(std::string_view text) {
    std::string out;
    JsonWriter(out).value(text);
    return out;
}

std::string number_value(double number) {
    std::string out;
    JsonWriter(out).value(number);
    return out;
}

}  // namespace

TEST_SUITE("json_writer") {
    TEST_CASE("nesting, commas and omitted optionals") {
        std::string out;
        JsonWriter w(out);
        w.begin_object();
        w.member("A", std::string("x"));
        w.member("Absent", std::optional<std::string>{});
        w.key("List");
        w.begin_array();
        w.begin_object();
        w.end_object();
        w.value(std::int64_t{-7});
        w.raw_value(R"({"r":1})");
        w.begin_array();
        w.end_array();
        w.end_array();
        w.member("N", std::optional<double>{2.5});
        w.end_object();
        CHECK(out == R"({"A":"x","List":[{},-7,{"r":1},[]],"N":2.5})");
    }

    TEST_CASE("strings are escaped exactly as dump() escapes them") {
        std::string all_bytes;
        for (int c = 1; c < 0x80; ++c) {
            all_bytes.push_back(static_cast<char>(c));
        }
        for (const std::string& text :
             {std::string(""), std::string("plain"), all_bytes, std::string("nul\0mid", 7),
              std::string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string("\"\\/")}) {
            CAPTURE(text);
            CHECK(string_value(text) == OJson(text).dump());
        }
    }

    TEST_CASE("invalid UTF-8 becomes U+FFFD, valid neighbours are kept") {
        CHECK(string_value("a\xFF"
                           "b") ==
              "\"a\xEF\xBF\xBD"
              "b\"");
        CHECK(string_value("\xC3") == "\"\xEF\xBF\xBD\"");                  // truncated sequence
        CHECK(string_value("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong
        CHECK(string_value("\xED\xA0\x80") ==
              "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a surrogate
        CHECK(string_value("\xF4\x90\x80\x80") ==
              "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");      // above U+10FFFF
        CHECK(string_value("\xF4\x8F\xBF\xBF") == "\"\xF4\x8F\xBF\xBF\"");  // U+10FFFF itself
    }

    TEST_CASE("any bytes are escaped and replaced exactly as dump() does it") {
        // Mostly bytes at and above 0x80 and controls: truncated, overlong and surrogate
        // sequences, each ill-formed part one U+FFFD (its maximal subpart), as nlohmann writes.
        std::mt19937 random(7);
        std::uniform_int_distribution<int> pick(0, 9);
        std::uniform_int_distribution<int> any_byte(0, 255);
        std::uniform_int_distribution<int> high_byte(0x80, 0xFF);
        for (int round = 0; round < 20'000; ++round) {
            std::string text(static_cast<std::size_t>(pick(random)), 'a');
            for (char& c : text) {
                c = static_cast<char>(pick(random) < 7 ? high_byte(random) : any_byte(random));
            }
            CAPTURE(text);
            CHECK(string_value(text) ==
                  OJson(text).dump(-1, ' ', false, OJson::error_handler_t::replace));
        }
    }

    TEST_CASE("numbers are formatted exactly as dump() formats them") {
        for (const double number :
             {0.0, -0.0, 50.0, 50.5, 100.0, 1727784000.25, 1727784000.001, 1e-7, 1e21, 0.1,
              253402300799.999, std::numeric_limits<double>::max(),
              std::numeric_limits<double>::denorm_min()}) {
            CAPTURE(number);
            CHECK(number_value(number) == OJson(number).dump());
        }
        for (const std::int64_t number :
             {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min(),
              std::numeric_limits<std::int64_t>::max()}) {
            std::string out;
            JsonWriter(out).value(number);
            CHECK(out == OJson(number).dump());
        }
    }

    TEST_CASE("a tree is written exactly as dump() writes it") {
        const OJson tree = {
            {"Status", "ready"},
            {"Count", std::size_t{18446744073709551615ULL}},
            {"Offset", std::int64_t{-3}},
            {"Uptime", 12.5},
            {"Whole", 3.0},
            {"Flags", {true, false, nullptr}},
            {"Nested", {{"Empty", OJson::object()}, {"List", OJson::array()}}},
            {"Bad\xFF \"key\"\n", "caf\xC3\xA9 \xC3"},
        };
        CHECK(rekmock::json::to_text(tree) ==
              tree.dump(-1, ' ', false, OJson::error_handler_t::replace));
        std::string out;
        JsonWriter w(out);
        w.begin_array();
        w.value(tree["Flags"]);
        w.value(OJson("x"));
        w.end_array();
        CHECK(out == R"([[true,false,null],"x"])");
    }
}
