#include "request_members.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <optional>
#include <string>

#include "protocol_error.hpp"
#include "service_error.hpp"
#include "test_jobs.hpp"

using rekmock::protocol::Json;
using rekmock::protocol::parse_json_object;
using rekmock::protocol::ProtocolError;
using rekmock::protocol::ProtocolErrorKind;
using rekmock::protocol::request_members;
using rekmock::service::ErrorKind;
using rekmock::service::ServiceError;
using rekmock::testing::at_millis;

namespace {

// "Serialization: <message>", "InvalidParameter: <message>", "none" or "other".
std::string outcome(const std::function<void()>& action) {
    try {
        action();
    } catch (const ProtocolError& e) {
        return std::string(e.kind() == ProtocolErrorKind::Serialization ? "Serialization"
                                                                        : "UnknownOperation") +
               ": " + e.what();
    } catch (const ServiceError& e) {
        return std::string(e.kind() == ErrorKind::InvalidParameter ? "InvalidParameter"
                                                                   : "OtherServiceError") +
               ": " + e.what();
    } catch (...) {
        return "other";
    }
    return "none";
}

bool is_serialization(const std::function<void()>& action) {
    return outcome(action).starts_with("Serialization: ");
}

Json parse(const char* text) {
    return Json::parse(text);
}

// The reads as the decoders make them: member `name` of `object`, whose members are named
// `prefix` + name.
std::optional<std::string> optional_string(const Json& object, std::string_view name,
                                           const std::string& prefix) {
    return request_members(object, prefix).string(name);
}
std::optional<std::int64_t> optional_integer(const Json& object, std::string_view name,
                                             const std::string& prefix) {
    return rekmock::protocol::optional_integer(request_members(object, prefix), name);
}
std::optional<double> optional_number(const Json& object, std::string_view name,
                                      const std::string& prefix) {
    return request_members(object, prefix).number(name);
}
std::optional<rekmock::Timestamp> optional_timestamp(const Json& object, std::string_view name,
                                                     const std::string& prefix, bool allow_text) {
    return rekmock::protocol::optional_timestamp(request_members(object, prefix), name, allow_text);
}
const Json* optional_object(const Json& object, std::string_view name, const std::string& prefix) {
    const auto members = request_members(object, prefix).object(name);
    return members ? &members->json() : nullptr;
}
std::string required_string(const Json& object, std::string_view name, const std::string& prefix) {
    return request_members(object, prefix).required_string(name);
}
const Json& required_object(const Json& object, std::string_view name, const std::string& prefix) {
    return request_members(object, prefix).required_object(name).json();
}
rekmock::Timestamp required_timestamp(const Json& object, std::string_view name,
                                      const std::string& prefix, bool allow_text) {
    return rekmock::protocol::required_timestamp(request_members(object, prefix), name, allow_text);
}

}  // namespace

TEST_SUITE("request_members") {
    TEST_CASE("parse_json_object accepts objects and the empty body") {
        CHECK(parse_json_object("") == Json::object());
        CHECK(parse_json_object("{}") == Json::object());
        CHECK(parse_json_object(" {\"MaxResults\": 5} ") == Json{{"MaxResults", 5}});
    }

    TEST_CASE("parse_json_object refuses malformed JSON and non-objects") {
        for (const char* body : {"{", "}", "{\"a\":}", "nul", "{'a': 1}", "{\"a\": 1,}", "[]",
                                 "[{}]", "null", "5", "\"text\"", "true", "{} {}", " "}) {
            INFO(std::string(body));
            CHECK(is_serialization([&] { parse_json_object(body); }));
        }
    }

    TEST_CASE("absent and null members are nullopt") {
        const Json object = parse(R"({"S": null, "I": null, "N": null, "T": null, "O": null})");
        for (const char* name : {"S", "I", "N", "T", "O", "Missing"}) {
            INFO(std::string(name));
            CHECK_FALSE(optional_string(object, name, "").has_value());
            CHECK_FALSE(optional_integer(object, name, "").has_value());
            CHECK_FALSE(optional_number(object, name, "").has_value());
            CHECK_FALSE(optional_timestamp(object, name, "", true).has_value());
            CHECK(optional_object(object, name, "") == nullptr);
        }
    }

    TEST_CASE("members of the right type are read") {
        const Json object = parse(
            R"({"S": "text", "E": "", "I": 42, "Neg": -7, "N": 55.5, "NI": 80, "T": 1727784000.25,
                "TI": 1735689600, "TS": "2024-10-01T12:00:00.250000+00:00", "O": {"k": 1}})");
        CHECK(optional_string(object, "S", "") == std::optional<std::string>("text"));
        CHECK(optional_string(object, "E", "") == std::optional<std::string>(""));
        CHECK(optional_integer(object, "I", "") == std::optional<std::int64_t>(42));
        CHECK(optional_integer(object, "Neg", "") == std::optional<std::int64_t>(-7));
        CHECK(optional_number(object, "N", "") == std::optional<double>(55.5));
        CHECK(optional_number(object, "NI", "") == std::optional<double>(80.0));
        CHECK(optional_timestamp(object, "T", "", false) == at_millis(1727784000250));
        CHECK(optional_timestamp(object, "TI", "", false) == at_millis(1735689600000));
        CHECK(optional_timestamp(object, "TS", "", true) == at_millis(1727784000250));
        const Json* nested = optional_object(object, "O", "");
        REQUIRE(nested != nullptr);
        CHECK(*nested == Json{{"k", 1}});
        CHECK(required_string(object, "S", "") == "text");
        CHECK(required_object(object, "O", "") == Json{{"k", 1}});
        CHECK(required_timestamp(object, "T", "", false) == at_millis(1727784000250));
    }

    TEST_CASE("members of the wrong type are SerializationExceptions") {
        const Json object = parse(
            R"({"Str": "10", "Int": 10, "Float": 1.5, "WholeFloat": 10.0, "Exp": 1e2, "Bool": true,
                "Arr": [1], "Obj": {}})");
        SUBCASE("string") {
            for (const char* name : {"Int", "Float", "Bool", "Arr", "Obj"}) {
                INFO(std::string(name));
                CHECK(is_serialization([&] { optional_string(object, name, ""); }));
                CHECK(is_serialization([&] { required_string(object, name, ""); }));
            }
        }
        SUBCASE("integer") {
            for (const char* name : {"Str", "Float", "WholeFloat", "Exp", "Bool", "Arr", "Obj"}) {
                INFO(std::string(name));
                CHECK(is_serialization([&] { optional_integer(object, name, ""); }));
            }
        }
        SUBCASE("number") {
            for (const char* name : {"Str", "Bool", "Arr", "Obj"}) {
                INFO(std::string(name));
                CHECK(is_serialization([&] { optional_number(object, name, ""); }));
            }
        }
        SUBCASE("object") {
            for (const char* name : {"Str", "Int", "Bool", "Arr"}) {
                INFO(std::string(name));
                CHECK(is_serialization([&] { optional_object(object, name, ""); }));
                CHECK(is_serialization([&] { required_object(object, name, ""); }));
            }
        }
        SUBCASE("timestamp") {
            for (const char* name : {"Bool", "Arr", "Obj"}) {
                INFO(std::string(name));
                CHECK(is_serialization([&] { optional_timestamp(object, name, "", true); }));
            }
            // Text is only accepted where the caller allows it (fixtures, not requests).
            const Json text = parse(R"({"T": "2024-10-01T12:00:00Z"})");
            CHECK(is_serialization([&] { optional_timestamp(text, "T", "", false); }));
            CHECK(is_serialization([&] { required_timestamp(text, "T", "", false); }));
        }
    }

    TEST_CASE("messages name the member with its path") {
        const Json object = parse(R"({"Bucket": 5})");
        CHECK(outcome([&] { optional_string(object, "Bucket", "Input.S3Object."); }) ==
              "Serialization: Member 'Input.S3Object.Bucket' must be a string, not an integer");
        const Json floaty = parse(R"({"MaxResults": 1.5})");
        CHECK(outcome([&] { optional_integer(floaty, "MaxResults", ""); }) ==
              "Serialization: Member 'MaxResults' must be an integer, not a number with a "
              "fraction or exponent");
    }

    TEST_CASE("integers are 32-bit") {
        const Json object = parse(
            R"({"Max": 2147483647, "Min": -2147483648, "Over": 2147483648, "Under": -2147483649,
                "Huge": 18446744073709551615, "HugeNeg": -9223372036854775808})");
        CHECK(optional_integer(object, "Max", "") == std::optional<std::int64_t>(2147483647));
        CHECK(optional_integer(object, "Min", "") == std::optional<std::int64_t>(-2147483648LL));
        for (const char* name : {"Over", "Under", "Huge", "HugeNeg"}) {
            INFO(std::string(name));
            const std::string result = outcome([&] { optional_integer(object, name, ""); });
            CHECK(result.starts_with("Serialization: "));
            CHECK(result.find(name) != std::string::npos);
        }
    }

    TEST_CASE("timestamps that are not valid instants are SerializationExceptions") {
        const Json object = parse(R"({"Far": 1e20, "Neg": -1e15, "Bad": "2024-02-30T00:00:00Z",
                                      "Text": "yesterday"})");
        for (const char* name : {"Far", "Neg", "Bad", "Text"}) {
            INFO(std::string(name));
            const std::string result =
                outcome([&] { optional_timestamp(object, name, "Job.", true); });
            CHECK(result ==
                  "Serialization: Member 'Job." + std::string(name) + "' is not a valid timestamp");
        }
    }

    TEST_CASE("missing required members are InvalidParameter: Member must not be null") {
        const Json object = parse(R"({"Null": null, "Other": 1})");
        for (const char* name : {"Null", "Absent"}) {
            INFO(std::string(name));
            const std::string expected =
                "InvalidParameter: 1 validation error detected: Value 'null' at 'Input." +
                std::string(name) + "' failed to satisfy constraint: Member must not be null";
            CHECK(outcome([&] { required_string(object, name, "Input."); }) == expected);
            CHECK(outcome([&] { required_object(object, name, "Input."); }) == expected);
            CHECK(outcome([&] { required_timestamp(object, name, "Input.", true); }) == expected);
        }
    }
}
