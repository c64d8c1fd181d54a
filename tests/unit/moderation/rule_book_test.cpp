#include "rule_book.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "moderation_rules_json.hpp"

using rekmock::Scope;
using rekmock::moderation::ModerationRules;
using rekmock::moderation::ModerationTaxonomy;
using rekmock::moderation::RuleBook;

namespace {

ModerationRules rules(const char* text) {
    return rekmock::moderation::parse_moderation_rules(nlohmann::json::parse(text),
                                                       ModerationTaxonomy::aws_v7());
}

}  // namespace

TEST_SUITE("rule_book") {
    TEST_CASE("rules are kept per scope, with their text, and a snapshot outlives a change") {
        RuleBook book;
        const Scope home;
        const Scope other{"111122223333", "eu-west-1"};
        CHECK(book.rules(home) == nullptr);
        book.set(home, rules(R"([{"SourceRef": "s3://b/a", "Labels": []}])"));
        const auto snapshot = book.rules(home);
        REQUIRE(snapshot);
        CHECK(snapshot->text == R"([{"SourceRef":"s3://b/a","Labels":[]}])");
        CHECK(book.rules(other) == nullptr);
        book.set(home, rules(R"([{}, {}])"));
        CHECK(snapshot->rules.rules.size() == 1);
        CHECK(book.rules(home)->rules.rules.size() == 2);
        book.set(other, rules("[{}]"));
        CHECK(book.counts() == std::vector<std::pair<Scope, std::size_t>>{{home, 2}, {other, 1}});
        book.set(home, ModerationRules{});
        CHECK(book.rules(home) == nullptr);
        book.replace_all({{home, rules("[{}]")}, {other, ModerationRules{}}});
        CHECK(book.counts() == std::vector<std::pair<Scope, std::size_t>>{{home, 1}});
    }
}
