#include "route_table.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace http = boost::beast::http;
using rekmock::control::Params;
using rekmock::control::parse_target;
using rekmock::control::PathPattern;
using rekmock::control::RouteTable;

namespace {

// The decoded segments of `target`, which must be well-formed.
std::vector<std::string> segments_of(std::string_view target) {
    const auto parsed = parse_target(target);
    REQUIRE(parsed.has_value());
    return parsed->segments;
}

std::optional<Params> match(const PathPattern& pattern, std::string_view target) {
    return pattern.match(segments_of(target));
}

}  // namespace

TEST_SUITE("route_table") {
    TEST_CASE("a literal pattern matches exactly that path") {
        const PathPattern health("/_mock/health");
        CHECK(match(health, "/_mock/health") == Params{});
        CHECK(match(health, "/_mock/health?verbose=1") == Params{});
        CHECK(match(health, "/_mock/%68ealth") == Params{});
        for (const std::string_view target :
             {"/_mock/health/", "/_mock/Health", "/_mock", "/_mock/", "/_mock/health/x", "/",
              "_mock/health", "//_mock/health"}) {
            CAPTURE(target);
            CHECK_FALSE(match(health, target).has_value());
        }
    }

    TEST_CASE("parameters take one whole segment, percent-decoded") {
        const PathPattern status("/_mock/jobs/{JobId}/status");
        CHECK(match(status, "/_mock/jobs/abc/status") == Params{{"JobId", "abc"}});
        CHECK(match(status, "/_mock/jobs/base%2Drunning/status") ==
              Params{{"JobId", "base-running"}});
        CHECK(match(status, "/_mock/jobs/a+b/status") == Params{{"JobId", "a b"}});
        // An encoded '/' stays inside its segment.
        CHECK(match(status, "/_mock/jobs/a%2Fb/status") == Params{{"JobId", "a/b"}});
        // Empty is a value: the endpoint reports what it lacks.
        CHECK(match(status, "/_mock/jobs//status") == Params{{"JobId", ""}});
        for (const std::string_view target :
             {"/_mock/jobs/a/b/status", "/_mock/jobs/abc", "/_mock/jobs/abc/status/",
              "/_mock/jobs/abc/statuses", "/_mock/jobs/status"}) {
            CAPTURE(target);
            CHECK_FALSE(match(status, target).has_value());
        }
        const PathPattern two("/{Kind}/items/{Id}");
        CHECK(match(two, "/x/items/7") == Params{{"Id", "7"}, {"Kind", "x"}});
        // Braces only make a parameter around a name.
        CHECK(match(PathPattern("/a/{}"), "/a/{}") == Params{});
    }

    TEST_CASE("the table picks the row of the method and lists the path's methods") {
        const RouteTable<int> table({
            {http::verb::get, "/_mock/faults", 1},
            {http::verb::delete_, "/_mock/faults", 2},
            {http::verb::delete_, "/_mock/faults/{Id}", 3},
            {http::verb::post, "/_mock/faults", 4},
            {http::verb::post, "/_mock/{Any}", 5},
        });
        const auto faults = segments_of("/_mock/faults");

        const auto get = table.match(http::verb::get, faults);
        REQUIRE(get.handler != nullptr);
        CHECK(*get.handler == 1);
        CHECK(get.params.empty());
        CHECK(get.allowed == std::vector{http::verb::get, http::verb::delete_, http::verb::post,
                                         http::verb::post});

        SUBCASE("the first matching row of the method wins") {
            const auto post = table.match(http::verb::post, faults);
            REQUIRE(post.handler != nullptr);
            CHECK(*post.handler == 4);
            CHECK(post.params.empty());
        }
        SUBCASE("parameters come with the handler") {
            const auto remove = table.match(http::verb::delete_, segments_of("/_mock/faults/f-1"));
            REQUIRE(remove.handler != nullptr);
            CHECK(*remove.handler == 3);
            CHECK(remove.params == Params{{"Id", "f-1"}});
        }
        SUBCASE("a known path with another method: no handler, the allowed methods") {
            const auto put = table.match(http::verb::put, faults);
            CHECK(put.handler == nullptr);
            CHECK(put.allowed.size() == 4);
            const auto get_one = table.match(http::verb::get, segments_of("/_mock/faults/f-1"));
            CHECK(get_one.handler == nullptr);
            CHECK(get_one.allowed == std::vector{http::verb::delete_});
        }
        SUBCASE("an unknown path: nothing allowed") {
            const auto unknown = table.match(http::verb::get, segments_of("/_mock/a/b"));
            CHECK(unknown.handler == nullptr);
            CHECK(unknown.allowed.empty());
        }
    }

    TEST_CASE("targets are percent-decoded, or refused when malformed") {
        const auto target = parse_target("/_mock/jobs%2Fx/y?%41ccount=%31+2&flag&&Limit=5&Limit=6");
        REQUIRE(target.has_value());
        CHECK(target->path == "/_mock/jobs/x/y");
        CHECK(target->segments == std::vector<std::string>{"", "_mock", "jobs/x", "y"});
        CHECK(target->query.at("Account") == "1 2");
        CHECK(target->query.at("flag").empty());
        CHECK(target->query.at("Limit") == "6");
        CHECK_FALSE(target->query.contains("account"));
        CHECK_FALSE(target->query.contains(""));  // "&&" names nothing
        CHECK(parse_target("/_mock/requests?")->query.empty());
        for (const std::string_view bad :
             {"/_mock/jobs%2", "/_mock/%G1", "/_mock/jobs?AccountId=%3", "/_mock/jobs?%ZZ=1",
              "/_mock/x%/y", "/_mock/jobs?Region=eu%"}) {
            CAPTURE(bad);
            CHECK_FALSE(parse_target(bad).has_value());
        }
    }
}
