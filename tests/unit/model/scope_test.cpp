#include "scope.hpp"

#include <doctest/doctest.h>

#include <string>

using rekmock::InvalidScope;
using rekmock::parse_scope;
using rekmock::Scope;

TEST_SUITE("scope") {
    TEST_CASE("the defaults are the default account in us-east-1") {
        CHECK(Scope{} == Scope{"000000000000", "us-east-1"});
    }

    TEST_CASE("each member defaults, and each is checked") {
        const Scope defaults{"999988887777", "sa-east-1"};
        CHECK(parse_scope(std::nullopt, std::nullopt, defaults) == defaults);
        CHECK(parse_scope("111122223333", std::nullopt, defaults) ==
              Scope{"111122223333", "sa-east-1"});
        CHECK(parse_scope(std::nullopt, "eu-west-1", defaults) ==
              Scope{"999988887777", "eu-west-1"});
        CHECK(parse_scope(std::nullopt, std::string(32, 'a'), defaults).region ==
              std::string(32, 'a'));
        for (const char* account : {"", "1234", "11112222333a", "1111222233334", " 11112222333"}) {
            CAPTURE(account);
            CHECK_THROWS_WITH_AS(parse_scope(account, std::nullopt, defaults),
                                 doctest::Contains("AccountId"), InvalidScope);
        }
        for (const std::string& region : {std::string(), std::string("EU-WEST-1"),
                                          std::string("eu_west_1"), std::string(33, 'a')}) {
            CAPTURE(region);
            CHECK_THROWS_WITH_AS(parse_scope(std::nullopt, region, defaults),
                                 doctest::Contains("Region"), InvalidScope);
        }
    }
}
