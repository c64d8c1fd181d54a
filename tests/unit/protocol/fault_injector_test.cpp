#include "fault_injector.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "clock.hpp"
#include "service_error.hpp"

using rekmock::protocol::Fault;
using rekmock::protocol::FaultInjector;
using rekmock::protocol::FaultRate;
using rekmock::protocol::FaultRule;
using rekmock::protocol::LatencyProfile;
using rekmock::service::ErrorKind;
using std::chrono::milliseconds;

namespace {

constexpr const char* kList = "ListMediaAnalysisJobs";
constexpr const char* kGet = "GetMediaAnalysisJob";
constexpr const char* kStart = "StartMediaAnalysisJob";

FaultRule count_rule(std::int64_t count, ErrorKind error = ErrorKind::Throttling,
                     std::string operation = "*") {
    FaultRule rule;
    rule.operation = std::move(operation);
    rule.error = error;
    rule.count = count;
    return rule;
}

FaultRule probability_rule(double probability, std::uint64_t seed,
                           ErrorKind error = ErrorKind::Throttling) {
    FaultRule rule;
    rule.error = error;
    rule.probability = probability;
    rule.seed = seed;
    return rule;
}

// Which of `draws` calls of `operation` the injector faulted.
std::vector<bool> fire_pattern(FaultInjector& faults, int draws, const std::string& operation) {
    std::vector<bool> pattern;
    for (int i = 0; i < draws; ++i) {
        pattern.push_back(faults.decide(operation).has_value());
    }
    return pattern;
}

std::optional<ErrorKind> error_of(const std::optional<Fault>& fault) {
    return fault ? fault->error : std::nullopt;
}

}  // namespace

TEST_SUITE("fault_injector") {
    TEST_CASE("no rules: no fault") {
        FaultInjector faults;
        CHECK_FALSE(faults.decide(kList).has_value());
        CHECK(faults.list().empty());
    }

    TEST_CASE("add returns increasing ids and list shows the rules in order") {
        FaultInjector faults;
        CHECK(faults.add(count_rule(1)) == "fault-1");
        CHECK(faults.add(count_rule(2, ErrorKind::AccessDenied, kGet)) == "fault-2");
        CHECK(faults.add(probability_rule(0.5, 7)) == "fault-3");
        const auto rules = faults.list();
        REQUIRE(rules.size() == 3);
        CHECK(rules[0].id == "fault-1");
        CHECK(rules[1].id == "fault-2");
        CHECK(rules[1].rule.operation == kGet);
        CHECK(rules[1].rule.error == ErrorKind::AccessDenied);
        CHECK(rules[1].rule.count == 2);
        CHECK(rules[2].id == "fault-3");
        CHECK(rules[2].rule.probability == 0.5);
        CHECK(rules[2].rule.seed == 7);
        for (const auto& state : rules) {
            CHECK(state.fired == 0);
        }
        SUBCASE("ids are never reused, even after remove and clear") {
            REQUIRE(faults.remove("fault-3"));
            CHECK(faults.add(count_rule(1)) == "fault-4");
            faults.clear();
            CHECK(faults.add(count_rule(1)) == "fault-5");
        }
    }

    TEST_CASE("a count rule fires exactly N times, then disappears") {
        FaultInjector faults;
        const std::string id = faults.add(count_rule(3));
        for (std::int64_t i = 0; i < 3; ++i) {
            CAPTURE(i);
            const auto fault = faults.decide(kList);
            REQUIRE(fault.has_value());
            CHECK(fault->error == ErrorKind::Throttling);
            CHECK(fault->latency == milliseconds(0));
            const auto rules = faults.list();
            if (i < 2) {
                REQUIRE(rules.size() == 1);
                CHECK(rules[0].id == id);
                CHECK(rules[0].fired == i + 1);
                CHECK(rules[0].rule.count == 2 - i);
            } else {
                CHECK(rules.empty());
            }
        }
        CHECK_FALSE(faults.decide(kList).has_value());
        CHECK_FALSE(faults.remove(id));
    }

    TEST_CASE("the operation filter and the * wildcard") {
        FaultInjector faults;
        SUBCASE("a named operation matches only itself") {
            faults.add(count_rule(1, ErrorKind::Throttling, kGet));
            CHECK_FALSE(faults.decide(kList).has_value());
            CHECK_FALSE(faults.decide(kStart).has_value());
            CHECK_FALSE(faults.decide("getmediaanalysisjob").has_value());
            CHECK_FALSE(faults.decide("").has_value());
            REQUIRE(faults.list().size() == 1);
            CHECK(faults.list()[0].fired == 0);
            CHECK(faults.decide(kGet).has_value());
            CHECK(faults.list().empty());
        }
        SUBCASE("* matches every operation") {
            faults.add(count_rule(3));
            CHECK(faults.decide(kList).has_value());
            CHECK(faults.decide(kGet).has_value());
            CHECK(faults.decide(kStart).has_value());
            CHECK_FALSE(faults.decide(kStart).has_value());
        }
    }

    TEST_CASE("the first matching rule wins, in insertion order") {
        FaultInjector faults;
        faults.add(count_rule(1, ErrorKind::AccessDenied, kGet));
        faults.add(count_rule(2, ErrorKind::Throttling));
        faults.add(count_rule(5, ErrorKind::InternalServerError, kGet));

        // The first rule does not match List: the second one answers.
        CHECK(error_of(faults.decide(kList)) == ErrorKind::Throttling);
        // Get: the first rule (then spent and removed)...
        CHECK(error_of(faults.decide(kGet)) == ErrorKind::AccessDenied);
        // ...then the second, which comes before the third, until it is spent too...
        CHECK(error_of(faults.decide(kGet)) == ErrorKind::Throttling);
        const auto rules = faults.list();
        REQUIRE(rules.size() == 1);
        CHECK(rules[0].id == "fault-3");
        CHECK(rules[0].fired == 0);
        // ...and only then the third.
        CHECK(error_of(faults.decide(kGet)) == ErrorKind::InternalServerError);
        CHECK_FALSE(faults.decide(kList).has_value());
    }

    TEST_CASE("a seeded probability rule fires in a repeatable pattern") {
        FaultInjector a;
        FaultInjector b;
        FaultInjector other_seed;
        a.add(probability_rule(0.5, 42));
        b.add(probability_rule(0.5, 42));
        other_seed.add(probability_rule(0.5, 43));
        const auto pattern_a = fire_pattern(a, 200, kList);
        CHECK(pattern_a == fire_pattern(b, 200, kList));
        CHECK(pattern_a != fire_pattern(other_seed, 200, kList));
        // The rule stays after firing, and counts what it fired.
        const auto rules = a.list();
        REQUIRE(rules.size() == 1);
        std::int64_t fired = 0;
        for (const bool hit : pattern_a) {
            fired += hit ? 1 : 0;
        }
        CHECK(rules[0].fired == fired);
        CHECK(fired > 0);
        CHECK(fired < 200);
    }

    TEST_CASE("non-matching calls do not consume a probability rule's draws") {
        FaultInjector a;
        FaultInjector b;
        FaultRule rule = probability_rule(0.5, 9);
        rule.operation = kGet;
        a.add(rule);
        b.add(rule);
        for (int i = 0; i < 10; ++i) {
            CHECK_FALSE(a.decide(kList).has_value());
        }
        CHECK(fire_pattern(a, 100, kGet) == fire_pattern(b, 100, kGet));
    }

    TEST_CASE("a probability rule fires at roughly its rate") {
        struct Rate {
            double probability;
            double low;
            double high;
        };
        for (const Rate rate :
             {Rate{0.3, 0.25, 0.35}, Rate{0.05, 0.03, 0.07}, Rate{0.9, 0.87, 0.93}}) {
            for (const std::uint64_t seed :
                 {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{123456789}}) {
                CAPTURE(rate.probability);
                CAPTURE(seed);
                FaultInjector faults;
                faults.add(probability_rule(rate.probability, seed));
                int fired = 0;
                for (int i = 0; i < 10000; ++i) {
                    fired += faults.decide(kList).has_value() ? 1 : 0;
                }
                const double observed = fired / 10000.0;
                CHECK(observed >= rate.low);
                CHECK(observed <= rate.high);
            }
        }
        SUBCASE("probability 1 always fires") {
            FaultInjector faults;
            faults.add(probability_rule(1.0, 5));
            for (int i = 0; i < 1000; ++i) {
                REQUIRE(faults.decide(kList).has_value());
            }
            CHECK(faults.list()[0].fired == 1000);
        }
    }

    TEST_CASE("a latency-only rule delays without an error") {
        FaultInjector faults;
        FaultRule rule;
        rule.latency = milliseconds(250);
        rule.count = 2;
        faults.add(rule);
        const auto fault = faults.decide(kStart);
        REQUIRE(fault.has_value());
        CHECK_FALSE(fault->error.has_value());
        CHECK(fault->latency == milliseconds(250));
        SUBCASE("an error rule with latency carries both") {
            FaultInjector both;
            FaultRule slow_error = count_rule(1, ErrorKind::ProvisionedThroughputExceeded);
            slow_error.latency = milliseconds(1200);
            both.add(slow_error);
            const auto f = both.decide(kGet);
            REQUIRE(f.has_value());
            CHECK(f->error == ErrorKind::ProvisionedThroughputExceeded);
            CHECK(f->latency == milliseconds(1200));
        }
    }

    TEST_CASE("remove, clear and list") {
        FaultInjector faults;
        const std::string first = faults.add(count_rule(5, ErrorKind::Throttling, kList));
        const std::string second = faults.add(count_rule(5, ErrorKind::AccessDenied, kList));
        CHECK_FALSE(faults.remove("fault-99"));
        CHECK_FALSE(faults.remove(""));
        CHECK(faults.remove(first));
        CHECK_FALSE(faults.remove(first));
        REQUIRE(faults.list().size() == 1);
        CHECK(faults.list()[0].id == second);
        CHECK(error_of(faults.decide(kList)) == ErrorKind::AccessDenied);
        faults.add(count_rule(1));
        faults.clear();
        CHECK(faults.list().empty());
        CHECK_FALSE(faults.decide(kList).has_value());
        faults.clear();  // clearing nothing is fine
        CHECK(faults.list().empty());
    }

    TEST_CASE("concurrent decide calls fire a count rule exactly Count times" *
              doctest::test_suite("concurrency")) {
        FaultInjector faults;
        faults.add(count_rule(1000));
        std::atomic<int> fired{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&faults, &fired] {
                for (int i = 0; i < 250; ++i) {
                    if (faults.decide(kList)) {
                        fired.fetch_add(1);
                    }
                }
                // Extra calls past the budget never fire.
                for (int i = 0; i < 50; ++i) {
                    if (faults.decide(kGet)) {
                        fired.fetch_add(1);
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        CHECK(fired.load() == 1000);
        CHECK(faults.list().empty());
    }
}

TEST_SUITE("fault_injector") {
    TEST_CASE("a rate rule lets the calls within its rate through and fires on the others") {
        FaultInjector faults;
        FaultRule rule;
        rule.operation = kStart;
        rule.error = ErrorKind::Throttling;
        rule.rate = FaultRate{0.001, 2};
        faults.add(rule);
        CHECK(fire_pattern(faults, 5, kStart) == std::vector<bool>{false, false, true, true, true});
        CHECK(!faults.decide(kList));
        CHECK(faults.list()[0].fired == 3);
    }

    TEST_CASE("a latency profile's draws follow its percentiles and repeat with the seed") {
        const LatencyProfile profile{milliseconds(40), milliseconds(200), milliseconds(900),
                                     milliseconds(2000)};
        CHECK(profile.at(0.0) == milliseconds(0));
        CHECK(profile.at(0.5) == milliseconds(40));
        CHECK(profile.at(0.95) == milliseconds(200));
        CHECK(profile.at(0.99) == milliseconds(900));
        CHECK(profile.at(0.995) == milliseconds(1450));
        const auto draws = [&](std::uint64_t seed) {
            FaultInjector faults;
            FaultRule rule;
            rule.probability = 1;
            rule.seed = seed;
            rule.latency_profile = profile;
            faults.add(rule);
            std::vector<milliseconds> out;
            for (int i = 0; i < 2000; ++i) {
                out.push_back(faults.decide(kGet)->latency);
            }
            return out;
        };
        auto first = draws(7);
        CHECK(first == draws(7));
        CHECK(first != draws(8));
        std::sort(first.begin(), first.end());
        CHECK(first.front() >= milliseconds(0));
        CHECK(first.back() <= milliseconds(2000));
        // The share of draws at or under each percentile is near its level (2,000 draws).
        const auto share_within = [&](milliseconds bound) {
            return static_cast<double>(std::upper_bound(first.begin(), first.end(), bound) -
                                       first.begin()) /
                   static_cast<double>(first.size());
        };
        CHECK(share_within(milliseconds(40)) == doctest::Approx(0.5).epsilon(0.06));
        CHECK(share_within(milliseconds(200)) == doctest::Approx(0.95).epsilon(0.02));
        CHECK(share_within(milliseconds(900)) == doctest::Approx(0.99).epsilon(0.01));
    }

    TEST_CASE("a latency profile never changes which calls a probability rule fires on") {
        const auto pattern = [](bool with_profile) {
            FaultInjector faults;
            auto rule = probability_rule(0.3, 11);
            if (with_profile) {
                rule.latency_profile = LatencyProfile{milliseconds(1), milliseconds(2),
                                                      milliseconds(3), milliseconds(4)};
            }
            faults.add(rule);
            return fire_pattern(faults, 200, kList);
        };
        CHECK(pattern(true) == pattern(false));
    }

    TEST_CASE("a rule with a lifetime disappears when the lifecycle clock passes it") {
        rekmock::service::SteerableClock clock;
        FaultInjector faults(clock);
        auto rule = probability_rule(1, 0);
        rule.lifetime = milliseconds(60'000);
        faults.add(rule);
        faults.add(count_rule(5, ErrorKind::AccessDenied));
        CHECK(error_of(faults.decide(kGet)) == ErrorKind::Throttling);
        REQUIRE(faults.list()[0].expires);
        clock.advance(milliseconds(59'000));
        CHECK(faults.list().size() == 2);
        clock.advance(milliseconds(1'000));
        CHECK(faults.list().size() == 1);
        CHECK(error_of(faults.decide(kGet)) == ErrorKind::AccessDenied);
    }
}
