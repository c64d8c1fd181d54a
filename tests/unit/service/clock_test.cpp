#include "clock.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using rekmock::Timestamp;
using rekmock::service::SteerableClock;
using rekmock::service::SystemClock;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kHour{3'600'000};

// True when `clock` reads the system clock plus `offset`, allowing for the time the reads take.
bool reads_system_plus(const SteerableClock& clock, milliseconds offset) {
    const SystemClock system;
    const Timestamp before = system.now();
    const Timestamp read = clock.now();
    const Timestamp after = system.now();
    return read >= before + offset && read <= after + offset;
}

}  // namespace

TEST_SUITE("clock") {
    TEST_CASE("a new SteerableClock reads the system clock") {
        const SteerableClock clock;
        CHECK(clock.offset() == milliseconds(0));
        CHECK(reads_system_plus(clock, milliseconds(0)));
    }

    TEST_CASE("advance accumulates and returns the total offset") {
        SteerableClock clock;
        CHECK(clock.advance(kHour) == kHour);
        CHECK(clock.advance(milliseconds(1500)) == kHour + milliseconds(1500));
        CHECK(clock.advance(milliseconds(0)) == kHour + milliseconds(1500));
        CHECK(clock.offset() == kHour + milliseconds(1500));
        CHECK(reads_system_plus(clock, kHour + milliseconds(1500)));

        SUBCASE("reset puts it back on the system clock") {
            clock.reset();
            CHECK(clock.offset() == milliseconds(0));
            CHECK(reads_system_plus(clock, milliseconds(0)));
            CHECK(clock.advance(milliseconds(7)) == milliseconds(7));
        }
        SUBCASE("a large advance (ten years)") {
            const milliseconds ten_years{10LL * 365 * 86'400'000};
            CHECK(clock.advance(ten_years) == ten_years + kHour + milliseconds(1500));
            CHECK(reads_system_plus(clock, ten_years + kHour + milliseconds(1500)));
        }
    }

    TEST_CASE("advance refuses to pass the latest clock, moving nothing") {
        using std::chrono::sys_days;
        CHECK(rekmock::service::kLatestClock ==
              sys_days{std::chrono::year{9996} / std::chrono::January / 1});
        SteerableClock clock;
        const milliseconds ten_years{10LL * 365 * 86'400'000};
        int advances = 0;
        // Ten years at a time from today: about 797 advances fit before the limit.
        for (bool refused = false; !refused && advances < 1000; ++advances) {
            const milliseconds before = clock.offset();
            try {
                clock.advance(ten_years);
            } catch (const rekmock::service::ClockOutOfRange& e) {
                refused = true;
                CHECK(clock.offset() == before);
                CHECK(std::string(e.what()).find("9996-01-01T00:00:00Z") != std::string::npos);
            }
        }
        CHECK(advances < 1000);
        CHECK(clock.now() <= rekmock::service::kLatestClock);
        CHECK(clock.now() + ten_years > rekmock::service::kLatestClock);
        CHECK_THROWS_AS(clock.advance(ten_years), rekmock::service::ClockOutOfRange);
        clock.advance(milliseconds(0));
    }

    TEST_CASE("now has millisecond precision") {
        const SteerableClock clock;
        const Timestamp now = clock.now();
        CHECK(std::chrono::time_point_cast<milliseconds>(now) == now);
        CHECK(rekmock::service::system_clock().now() >= now);
    }
}
