#include "rule_index.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

using rekmock::moderation::ImageScript;
using rekmock::moderation::JobFacts;
using rekmock::moderation::ModerationRule;
using rekmock::moderation::ModerationRules;
using rekmock::moderation::RuleIndex;
using rekmock::moderation::ScriptedError;
using rekmock::moderation::SourceMatch;

namespace {

// The rules' meaning, as documented: the first rule that matches, in the order given.
std::optional<std::size_t> first_match(const ModerationRules& rules, const std::string& ref,
                                       const JobFacts& job) {
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
        if (rules.rules[i].fits_job(job) && rules.rules[i].matches_source(ref)) {
            return i;
        }
    }
    return std::nullopt;
}

// Which rule's script `script` is: each rule's error code is its position.
std::optional<std::size_t> position_of(const ImageScript* script) {
    if (script == nullptr) {
        return std::nullopt;
    }
    return std::stoul(script->error->code);
}

ModerationRule rule(SourceMatch::Kind kind, std::string pattern, std::size_t position) {
    ModerationRule made;
    made.source = {kind, std::move(pattern)};
    made.script.error = ScriptedError{std::to_string(position), ""};
    return made;
}

// A short string over "ab/", so that exact, prefix and glob patterns often meet.
std::string short_text(std::mt19937& random, std::size_t max_size) {
    static constexpr char kAlphabet[] = "ab/";
    std::string text(std::uniform_int_distribution<std::size_t>(0, max_size)(random), 'a');
    for (char& c : text) {
        c = kAlphabet[std::uniform_int_distribution<int>(0, 2)(random)];
    }
    return text;
}

}  // namespace

TEST_SUITE("rule_index") {
    TEST_CASE("the index finds the rule the order gives, on random rules and images") {
        std::mt19937 random(20261207);
        const JobFacts jobs[] = {{}, {"nightly-1", std::nullopt}, {"nightly-1", "arn:p/v1"}};
        for (int round = 0; round < 300; ++round) {
            ModerationRules rules;
            const auto count = std::uniform_int_distribution<std::size_t>(0, 12)(random);
            for (std::size_t i = 0; i < count; ++i) {
                const auto kind = static_cast<SourceMatch::Kind>(
                    std::uniform_int_distribution<int>(0, 3)(random));
                std::string pattern = short_text(random, 4);
                if (kind == SourceMatch::Kind::Glob && random() % 2 == 0) {
                    pattern.insert(
                        std::uniform_int_distribution<std::size_t>(0, pattern.size())(random),
                        random() % 2 == 0 ? "*" : "?");
                }
                rules.rules.push_back(rule(kind, kind == SourceMatch::Kind::Any ? "" : pattern, i));
                if (random() % 4 == 0) {
                    rules.rules.back().job_name = random() % 2 == 0 ? "nightly-*" : "other";
                }
                if (random() % 6 == 0) {
                    rules.rules.back().project_version = "arn:p/*";
                }
            }
            for (const JobFacts& job : jobs) {
                const RuleIndex index(rules, job);
                for (int image = 0; image < 20; ++image) {
                    const std::string ref = short_text(random, 6);
                    CAPTURE(ref);
                    CHECK(position_of(index.match(ref)) == first_match(rules, ref, job));
                }
            }
        }
    }

    TEST_CASE("an earlier glob beats a later exact rule, a later glob does not") {
        ModerationRules rules;
        rules.rules.push_back(rule(SourceMatch::Kind::Glob, "s3://b/*.png", 0));
        rules.rules.push_back(rule(SourceMatch::Kind::Exact, "s3://b/x.png", 1));
        rules.rules.push_back(rule(SourceMatch::Kind::Prefix, "s3://b/y", 2));
        rules.rules.push_back(rule(SourceMatch::Kind::Any, "", 3));
        const RuleIndex index(rules, {});
        CHECK(position_of(index.match("s3://b/x.png")) == 0u);
        CHECK(position_of(index.match("s3://b/y.jpg")) == 2u);
        CHECK(position_of(index.match("s3://c/z")) == 3u);
    }

    TEST_CASE("of two rules with one pattern the first wins, and a longer prefix does not") {
        ModerationRules rules;
        rules.rules.push_back(rule(SourceMatch::Kind::Prefix, "s3://b/", 0));
        rules.rules.push_back(rule(SourceMatch::Kind::Prefix, "s3://b/deep/", 1));
        rules.rules.push_back(rule(SourceMatch::Kind::Exact, "s3://c/k", 2));
        rules.rules.push_back(rule(SourceMatch::Kind::Exact, "s3://c/k", 3));
        const RuleIndex index(rules, {});
        CHECK(position_of(index.match("s3://b/deep/x")) == 0u);
        CHECK(position_of(index.match("s3://c/k")) == 2u);
        CHECK(index.match("s3://c/kk") == nullptr);
    }

    TEST_CASE("an index moved keeps finding its rules") {
        ModerationRules rules;
        for (std::size_t i = 0; i < 100; ++i) {
            rules.rules.push_back(rule(SourceMatch::Kind::Exact, "k" + std::to_string(i), i));
        }
        RuleIndex first(rules, {});
        const RuleIndex moved(std::move(first));
        CHECK(position_of(moved.match("k7")) == 7u);
        CHECK(position_of(moved.match("k99")) == 99u);
    }
}
