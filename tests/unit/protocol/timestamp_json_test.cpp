#include "timestamp_json.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "test_jobs.hpp"

using rekmock::Timestamp;
using rekmock::protocol::from_epoch_seconds;
using rekmock::protocol::parse_iso8601;
using rekmock::protocol::to_epoch_seconds;
using rekmock::testing::at_millis;

namespace {

std::optional<std::int64_t> millis_of(const std::optional<Timestamp>& t) {
    if (!t) {
        return std::nullopt;
    }
    return t->time_since_epoch().count();
}

}  // namespace

TEST_SUITE("timestamp_json") {
    TEST_CASE("epoch seconds carry milliseconds as the fraction") {
        CHECK(to_epoch_seconds(at_millis(1727784000250)) == 1727784000.25);
        CHECK(to_epoch_seconds(at_millis(1741944413589)) == 1741944413.589);
        CHECK(to_epoch_seconds(at_millis(0)) == 0.0);
        CHECK(to_epoch_seconds(at_millis(-1500)) == -1.5);
        CHECK(to_epoch_seconds(at_millis(1735689600000)) == 1735689600.0);
    }

    TEST_CASE("epoch seconds round to the millisecond") {
        CHECK(millis_of(from_epoch_seconds(1727784000.25)) == 1727784000250);
        CHECK(millis_of(from_epoch_seconds(1741944413.589)) == 1741944413589);
        CHECK(millis_of(from_epoch_seconds(1735689600)) == 1735689600000);
        CHECK(millis_of(from_epoch_seconds(1.0004)) == 1000);
        CHECK(millis_of(from_epoch_seconds(1.0006)) == 1001);
        CHECK(millis_of(from_epoch_seconds(-1.5)) == -1500);
    }

    TEST_CASE("every millisecond survives epoch seconds and back") {
        for (const std::int64_t base : {std::int64_t{0}, std::int64_t{1727784000000},
                                        std::int64_t{253402300799000}, std::int64_t{-86400000}}) {
            for (std::int64_t ms = 0; ms < 1000; ++ms) {
                const auto t = at_millis(base + ms);
                REQUIRE(from_epoch_seconds(to_epoch_seconds(t)) == t);
            }
        }
    }

    TEST_CASE("epoch seconds outside years 1..9999 or not finite are refused") {
        CHECK(millis_of(from_epoch_seconds(-62135596800.0)) == -62135596800000);
        CHECK(millis_of(from_epoch_seconds(253402300799.999)) == 253402300799999);
        CHECK_FALSE(from_epoch_seconds(-62135596800.001).has_value());
        CHECK_FALSE(from_epoch_seconds(253402300800.0).has_value());
        CHECK_FALSE(from_epoch_seconds(1e300).has_value());
        CHECK_FALSE(from_epoch_seconds(std::nan("")).has_value());
        CHECK_FALSE(from_epoch_seconds(std::numeric_limits<double>::infinity()).has_value());
        CHECK_FALSE(from_epoch_seconds(-std::numeric_limits<double>::infinity()).has_value());
    }

    TEST_CASE("ISO-8601 forms the AWS CLI prints") {
        const std::int64_t expected = 1727784000250;
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.250000+00:00")) == expected);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.25Z")) == expected);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.250z")) == expected);
        CHECK(millis_of(parse_iso8601("2024-10-01t12:00:00.250Z")) == expected);
        CHECK(millis_of(parse_iso8601("2024-10-01 12:00:00.250000+00:00")) == expected);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.250")) == expected);  // no zone: UTC
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00Z")) == expected - 250);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00")) == expected - 250);
        CHECK(millis_of(parse_iso8601("1970-01-01T00:00:00Z")) == 0);
        CHECK(millis_of(parse_iso8601("1969-12-31T23:59:59.999Z")) == -1);
    }

    TEST_CASE("ISO-8601 offsets") {
        const std::int64_t noon = 1727784000000;  // 2024-10-01T12:00:00Z
        CHECK(millis_of(parse_iso8601("2024-10-01T14:00:00+02:00")) == noon);
        CHECK(millis_of(parse_iso8601("2024-10-01T14:00:00+0200")) == noon);
        CHECK(millis_of(parse_iso8601("2024-10-01T06:30:00-05:30")) == noon);
        CHECK(millis_of(parse_iso8601("2024-10-01T06:30:00-0530")) == noon);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00-00:00")) == noon);
        // An offset can move the instant across a day, month and year boundary.
        CHECK(millis_of(parse_iso8601("2025-01-01T01:00:00+02:00")) == 1735686000000);
        CHECK(millis_of(parse_iso8601("2024-12-31T23:00:00-01:00")) == 1735689600000);
    }

    TEST_CASE("fractions beyond milliseconds are truncated") {
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.9999Z")) == 1727784000999);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.123456789Z")) == 1727784000123);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.1Z")) == 1727784000100);
        CHECK(millis_of(parse_iso8601("2024-10-01T12:00:00.05Z")) == 1727784000050);
        CHECK_FALSE(parse_iso8601("2024-10-01T12:00:00.1234567891Z").has_value());
        CHECK_FALSE(parse_iso8601("2024-10-01T12:00:00.Z").has_value());
    }

    TEST_CASE("impossible dates and times are refused") {
        CHECK(parse_iso8601("2024-02-29T00:00:00Z").has_value());
        for (const char* text :
             {"2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
              "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-10-00T00:00:00Z",
              "2024-10-01T24:00:00Z", "2024-10-01T12:60:00Z", "2024-10-01T12:00:60Z",
              "2024-10-01T12:00:00+24:00", "2024-10-01T12:00:00+02:60"}) {
            INFO(std::string(text));
            CHECK_FALSE(parse_iso8601(text).has_value());
        }
    }

    TEST_CASE("garbage is refused") {
        for (const char* text : {"",
                                 "garbage",
                                 "2024",
                                 "2024-10-01",
                                 "2024-10-01T12:00",
                                 "2024-10-01T12:00:00Zjunk",
                                 "2024-10-01T12:00:00 ",
                                 " 2024-10-01T12:00:00",
                                 "2024/10/01T12:00:00",
                                 "24-10-01T12:00:00",
                                 "2024-1-01T12:00:00",
                                 "2024-10-01X12:00:00",
                                 "2024-10-01T12:00:00+2",
                                 "2024-10-01T12:00:00+02",
                                 "2024-10-01T12:00:00+02:0",
                                 "2024-10-01T12:00:00UTC",
                                 "1727784000.25",
                                 "+2024-10-01T12:00:00",
                                 "2024-10-01T12:00:00.abcZ",
                                 "２０２４-10-01T12:00:00"}) {
            INFO(std::string(text));
            CHECK_FALSE(parse_iso8601(text).has_value());
        }
    }

    TEST_CASE("every accepted ISO-8601 text is a representable epoch timestamp") {
        // Whatever a fixture can spell must survive the wire (epoch seconds) and be read back:
        // the years 1..9999 that from_epoch_seconds accepts.
        for (const char* text :
             {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z",
              "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"}) {
            INFO(std::string(text));
            const auto parsed = parse_iso8601(text);
            if (parsed) {
                CHECK(from_epoch_seconds(to_epoch_seconds(*parsed)) == parsed);
            }
        }
    }
}
