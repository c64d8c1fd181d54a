#include "json_members.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>

using rekmock::json::Elements;
using rekmock::json::Fault;
using rekmock::json::Json;
using rekmock::json::MemberError;
using rekmock::json::Members;
using rekmock::json::Nulls;
using rekmock::json::Policy;

namespace {

constexpr Policy kAbsent{Nulls::Absent, nullptr};
constexpr Policy kRefused{Nulls::Refused, nullptr};
constexpr Policy kControlLike{Nulls::AbsentStringsAndNumbers, nullptr};

// The error a read throws: "<path> (<owner>|<name>): <expected>, found <found>", or "none".
std::string error_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const MemberError& e) {
        return e.path + " (" + e.owner + "|" + e.name + "): " + e.expected + ", found " + e.found;
    }
    return "none";
}

struct LayerError {
    std::string message;
};

[[noreturn]] void layer_refuse(const MemberError& error) {
    throw LayerError{"layer: " + error.path};
}

}  // namespace

TEST_SUITE("json_members") {
    TEST_CASE("members of the right type are read, absent ones are nullopt") {
        const Json doc = Json::parse(
            R"({"S": "text", "N": 2.5, "I": -7, "B": false, "O": {"k": "v"}, "A": ["x", {}]})");
        const Members members(doc, kRefused);
        CHECK(members.string("S") == "text");
        CHECK(members.number("N") == 2.5);
        CHECK(members.number("I") == -7.0);
        CHECK(members.boolean("B") == false);
        CHECK(members.object("O")->string("k") == "v");
        CHECK(members.array("A")->size() == 2);
        CHECK(members.array("A")->object(1).json() == Json::object());
        CHECK(error_of([&] { members.array("A")->object(0); }) ==
              "A[0] (A|[0]): an object, found a string");
        CHECK(members.required_string("S") == "text");
        CHECK(members.required("N") == 2.5);
        for (const char* name : {"S", "N", "I", "B", "O", "A"}) {
            CHECK(members.find(name) == &doc[name]);
        }
        CHECK_FALSE(members.string("Absent").has_value());
        CHECK_FALSE(members.object("Absent").has_value());
        CHECK(members.find("Absent") == nullptr);
    }

    TEST_CASE("errors name the member by its path, nested and in arrays") {
        const Json doc = Json::parse(
            R"({"Input": {"S3Object": {"Bucket": 5}}, "Rules": [{"Labels": [{"Name": 1}]}, 3]})");
        const Members top(doc, kAbsent);
        CHECK(error_of([&] {
                  top.required_object("Input").required_object("S3Object").string("Bucket");
              }) == "Input.S3Object.Bucket (Input.S3Object|Bucket): a string, found an integer");
        CHECK(error_of([&] {
                  top.array("Rules")->object(0).array("Labels")->object(0).string("Name");
              }) ==
              "Rules[0].Labels[0].Name (Rules[0].Labels[0]|Name): a string, found an integer");
        CHECK(error_of([&] { top.array("Rules")->object(1, "a rule"); }) ==
              "Rules[1] (Rules|[1]): a rule, found an integer");
        CHECK(error_of([&] { top.required_object("Input").required_string("Region"); }) ==
              "Input.Region (Input|Region): a string, found ");
        CHECK(error_of([&] { Elements(doc, kAbsent, "Rules", "an array of rules"); }) ==
              "Rules (|Rules): an array of rules, found an object");
        CHECK(error_of([&] { Members(doc["Input"], kAbsent, "Job[2].").number("S3Object"); }) ==
              "Job[2].S3Object (Job[2]|S3Object): a number, found an object");
    }

    TEST_CASE("missing and wrong-typed members are told apart") {
        const Json doc = Json::parse(R"({"F": 1.5})");
        const Members members(doc, kAbsent);
        const auto fault_of = [&](const std::function<void()>& read) {
            try {
                read();
            } catch (const MemberError& e) {
                return e.fault;
            }
            FAIL("no error");
            return Fault::Missing;
        };
        CHECK(fault_of([&] { members.required_string("None"); }) == Fault::Missing);
        CHECK(fault_of([&] { members.required("None"); }) == Fault::Missing);
        CHECK(fault_of([&] { members.required_object("F"); }) == Fault::WrongType);
        CHECK(std::string(MemberError(Fault::WrongType, "A", "B", "a string", "null").what()) ==
              "A.B must be a string");
    }

    TEST_CASE("nulls count as absent, or as the wrong type, as the policy says") {
        const Json doc = Json::parse(R"({"S": null, "N": null, "B": null, "O": null, "A": null})");
        SUBCASE("Absent") {
            const Members members(doc, kAbsent);
            CHECK_FALSE(members.string("S").has_value());
            CHECK_FALSE(members.boolean("B").has_value());
            CHECK_FALSE(members.object("O").has_value());
            CHECK_FALSE(members.array("A").has_value());
            CHECK(members.find("S") == nullptr);
            CHECK(error_of([&] { members.required_string("S"); }) == "S (|S): a string, found ");
        }
        SUBCASE("AbsentStringsAndNumbers") {
            const Members members(doc, kControlLike);
            CHECK_FALSE(members.string("S").has_value());
            CHECK_FALSE(members.number("N").has_value());
            CHECK(error_of([&] { members.boolean("B"); }) == "B (|B): true or false, found null");
            CHECK(error_of([&] { members.object("O"); }) == "O (|O): an object, found null");
            CHECK(members.find("S") == &doc["S"]);
        }
        SUBCASE("Refused") {
            const Members members(doc, kRefused);
            CHECK(error_of([&] { members.string("S"); }) == "S (|S): a string, found null");
            CHECK(error_of([&] { members.number("N", "a number from 0 to 100"); }) ==
                  "N (|N): a number from 0 to 100, found null");
            CHECK(members.find("S") == &doc["S"]);
        }
    }

    TEST_CASE("a policy's refuse throws the layer's own error, in nested readers too") {
        constexpr Policy kLayer{Nulls::Absent, &layer_refuse};
        const Json doc = Json::parse(R"({"Outer": {"Inner": [true]}})");
        try {
            Members(doc, kLayer).required_object("Outer").array("Inner")->object(0);
            FAIL("no error");
        } catch (const LayerError& e) {
            CHECK(e.message == "layer: Outer.Inner[0]");
        }
    }

    TEST_CASE("type names") {
        for (const auto& [text, name] :
             {std::pair{"\"s\"", "a string"}, std::pair{"true", "a boolean"},
              std::pair{"-1", "an integer"}, std::pair{"1", "an integer"},
              std::pair{"1.5", "a number with a fraction or exponent"},
              std::pair{"{}", "an object"}, std::pair{"[]", "an array"},
              std::pair{"null", "null"}}) {
            CHECK(rekmock::json::type_name(Json::parse(text)) == name);
        }
    }
}
