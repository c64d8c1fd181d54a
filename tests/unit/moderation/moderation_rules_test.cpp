#include "moderation_rules.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "moderation_rules_json.hpp"
#include "moderation_taxonomy.hpp"
#include "rule_index.hpp"

using rekmock::moderation::JobFacts;
using rekmock::moderation::ModerationRules;
using rekmock::moderation::ModerationTaxonomy;
using rekmock::moderation::parse_moderation_rules;
using rekmock::moderation::parse_rules_document;
using rekmock::moderation::RuleIndex;
using rekmock::moderation::rules_to_json;
using rekmock::moderation::RulesError;
using rekmock::moderation::SourceMatch;

namespace {

ModerationRules rules(const char* text) {
    return parse_moderation_rules(nlohmann::json::parse(text), ModerationTaxonomy::aws_v7());
}

std::string refusal(const char* text) {
    try {
        rules(text);
    } catch (const RulesError& e) {
        return e.what();
    }
    return "accepted";
}

// The first label the rule matching this image gives, or "" for none.
std::string first_label(const ModerationRules& set, const char* source_ref,
                        const JobFacts& job = {}) {
    const RuleIndex index(set, job);
    const auto* script = index.match(source_ref);
    if (script == nullptr) {
        return "no rule";
    }
    return script->labels.empty() ? "" : script->labels.front().name;
}

}  // namespace

TEST_SUITE("moderation_rules") {
    TEST_CASE("every kind of rule is read") {
        const auto set = rules(R"([
            {"SourceRef": "s3://b/gun.jpg", "Labels": [{"Name": "Weapons", "Confidence": 93}]},
            {"SourceRefPrefix": "s3://b/toons/",
             "ContentTypes": [{"Name": "Animated", "Confidence": 88.5}]},
            {"SourceRefGlob": "s3://*/broken-*.png",
             "Error": {"Code": "ERROR_X", "Message": "scripted"}},
            {"JobName": "nightly-*", "ProjectVersion": "arn:*", "Labels": []}])");
        REQUIRE(set.rules.size() == 4);
        CHECK(set.rules[0].source == SourceMatch{SourceMatch::Kind::Exact, "s3://b/gun.jpg"});
        CHECK(set.rules[0].script.labels.front().confidence == 93);
        CHECK(set.rules[1].source.kind == SourceMatch::Kind::Prefix);
        CHECK(set.rules[1].script.content_types.front().name == "Animated");
        CHECK(set.rules[1].script.content_types.front().confidence == 88.5);
        CHECK(set.rules[2].source.kind == SourceMatch::Kind::Glob);
        CHECK(set.rules[2].script.error->code == "ERROR_X");
        CHECK(set.rules[3].source.kind == SourceMatch::Kind::Any);
        CHECK(set.rules[3].job_name == "nightly-*");
        CHECK(set.rules[3].project_version == "arn:*");
    }

    TEST_CASE("the first matching rule wins, in the order given") {
        const auto set = rules(R"([
            {"SourceRef": "s3://b/x/exact.jpg", "Labels": [{"Name": "Gambling", "Confidence": 70}]},
            {"SourceRefPrefix": "s3://b/x/", "Labels": [{"Name": "Weapons", "Confidence": 90}]},
            {"SourceRefGlob": "s3://b/*.jpg", "Labels": [{"Name": "Smoking", "Confidence": 80}]},
            {"Labels": []}])");
        CHECK(first_label(set, "s3://b/x/exact.jpg") == "Gambling");
        CHECK(first_label(set, "s3://b/x/other.jpg") == "Weapons");
        CHECK(first_label(set, "s3://b/y/other.jpg") == "Smoking");
        CHECK(first_label(set, "s3://b/y/other.png").empty());  // the catch-all: no labels
        CHECK(first_label(ModerationRules{}, "s3://b/y/other.png") == "no rule");
    }

    TEST_CASE("job conditions: a job without the member never matches a rule naming it") {
        const auto set = rules(R"([
            {"JobName": "nightly-*", "Labels": [{"Name": "Weapons", "Confidence": 90}]},
            {"ProjectVersion": "arn:aws:rekognition:us-east-1:*:project/adapter/*",
             "Labels": [{"Name": "Smoking", "Confidence": 80}]}])");
        CHECK(first_label(set, "s3://b/a.jpg", JobFacts{"nightly-7", std::nullopt}) == "Weapons");
        CHECK(first_label(set, "s3://b/a.jpg", JobFacts{"daily", std::nullopt}) == "no rule");
        CHECK(first_label(set, "s3://b/a.jpg") == "no rule");
        CHECK(first_label(set, "s3://b/a.jpg",
                          JobFacts{std::nullopt,
                                   "arn:aws:rekognition:us-east-1:111122223333:project/adapter/"
                                   "version/v1/1"}) == "Smoking");
    }

    TEST_CASE("a label outside the taxonomy is refused with its place and the nearest names") {
        CHECK(refusal(R"([{"Labels": []}, {"Labels": [{"Name": "Weapon", "Confidence": 9}]}])") ==
              "ModerationRules[1].Labels[0].Name: \"Weapon\" is not a moderation label of model "
              "7.0; nearest: \"Weapons\", \"Weapon Violence\", \"Alcohol\"");
        CHECK(refusal(R"([{"Labels": [{"Name": "weapons", "Confidence": 9}]}])")
                  .find("nearest: \"Weapons\"") != std::string::npos);
    }

    TEST_CASE("bad rules are refused, naming the rule and the member") {
        CHECK(refusal(R"({"Labels": []})") == "ModerationRules: must be an array of rules");
        CHECK(refusal(R"([3])") == "ModerationRules[0]: must be an object");
        CHECK(refusal(R"([{"SourceRef": "a", "SourceRefPrefix": "b"}])") ==
              "ModerationRules[0]: gives more than one of SourceRef, SourceRefPrefix and "
              "SourceRefGlob");
        CHECK(refusal(R"([{"SourceRef": ""}])") ==
              "ModerationRules[0].SourceRef: must not be empty");
        CHECK(refusal(R"([{"SourceRef": 7}])") == "ModerationRules[0].SourceRef: must be a string");
        CHECK(refusal(R"([{"Label": []}])")
                  .starts_with(
                      "ModerationRules[0]: has an unknown member \"Label\" (members: SourceRef, "));
        CHECK(refusal(R"([{"Labels": [{"Name": "Weapons"}]}])") ==
              "ModerationRules[0].Labels[0]: has no Confidence (a number from 0 to 100)");
        CHECK(refusal(R"([{"Labels": [{"Name": "Weapons", "Confidence": 100.5}]}])") ==
              "ModerationRules[0].Labels[0].Confidence: must be a number from 0 to 100");
        CHECK(refusal(R"([{"Labels": [{"Name": "Weapons", "Confidence": -1}]}])") ==
              "ModerationRules[0].Labels[0].Confidence: must be a number from 0 to 100");
        CHECK(refusal(R"([{"Labels": [{"Name": "Weapons", "Confidence": "90"}]}])") ==
              "ModerationRules[0].Labels[0].Confidence: must be a number from 0 to 100");
        CHECK(refusal(R"([{"Labels": [{"Name": "Weapons", "Confidence": 9},
                                      {"Name": "Weapons", "Confidence": 8}]}])") ==
              "ModerationRules[0].Labels[1].Name: \"Weapons\" is given twice in this rule");
        CHECK(refusal(R"([{"ContentTypes": [{"Name": "Cartoon", "Confidence": 9}]}])") ==
              "ModerationRules[0].ContentTypes[0].Name: \"Cartoon\" is not a content type "
              "(\"Animated\", \"Illustrated\")");
        CHECK(refusal(R"([{"Error": {"Message": "x"}}])") ==
              "ModerationRules[0].Error: has no Code");
        CHECK(refusal(R"([{"Error": {"Code": "A B"}}])") ==
              "ModerationRules[0].Error.Code: must be printable ASCII without spaces or quotes");
        CHECK(refusal(R"([{"Error": {"Code": "X"}, "Labels": []}])")
                  .starts_with("ModerationRules[0]: gives an Error with Labels or ContentTypes"));
    }

    TEST_CASE("the limits: at most kMaxRules rules") {
        nlohmann::json many = nlohmann::json::array();
        for (std::size_t i = 0; i <= rekmock::moderation::kMaxRules; ++i) {
            many.push_back(nlohmann::json::object());
        }
        CHECK_THROWS_AS(parse_moderation_rules(many, ModerationTaxonomy::aws_v7()), RulesError);
        many.erase(many.begin());
        CHECK(parse_moderation_rules(many, ModerationTaxonomy::aws_v7()).rules.size() ==
              rekmock::moderation::kMaxRules);
    }

    TEST_CASE("rules written as JSON read back unchanged") {
        const auto set = rules(R"([
            {"SourceRef": "s3://b/gun.jpg", "Labels": [{"Name": "Weapons", "Confidence": 93.25}],
             "ContentTypes": [{"Name": "Illustrated", "Confidence": 0}]},
            {"SourceRefGlob": "*.png", "JobName": "j", "Error": {"Code": "E"}},
            {"SourceRefPrefix": "s3://", "ProjectVersion": "p"}])");
        const auto text = rules_to_json(set).dump();
        CHECK(rules(text.c_str()) == set);
        CHECK(text ==
              R"([{"SourceRef":"s3://b/gun.jpg","Labels":[{"Name":"Weapons","Confidence":93.25}],)"
              R"("ContentTypes":[{"Name":"Illustrated","Confidence":0.0}]},)"
              R"({"SourceRefGlob":"*.png","JobName":"j","Error":{"Code":"E","Message":)"
              R"("Scripted by a moderation rule."}},)"
              R"({"SourceRefPrefix":"s3://","ProjectVersion":"p","Labels":[]}])");
    }

    TEST_CASE("a confidence of -0 is 0: Rekognition never answers a negative zero") {
        const auto set = rules(R"([{"Labels": [{"Name": "Weapons", "Confidence": -0.0}],
                                    "ContentTypes": [{"Name": "Animated", "Confidence": -0}]}])");
        CHECK_FALSE(std::signbit(set.rules[0].script.labels.front().confidence));
        CHECK_FALSE(std::signbit(set.rules[0].script.content_types.front().confidence));
        CHECK(rules_to_json(set).dump() ==
              R"([{"Labels":[{"Name":"Weapons","Confidence":0.0}],)"
              R"("ContentTypes":[{"Name":"Animated","Confidence":0.0}]}])");
    }

    TEST_CASE("a rules document names its scope, or none") {
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        const auto doc = parse_rules_document(
            R"({"AccountId": "111122223333", "Region": "eu-west-1", "ModerationRules": []})",
            taxonomy);
        CHECK(doc.account == "111122223333");
        CHECK(doc.region == "eu-west-1");
        CHECK(parse_rules_document(R"({"ModerationRules": [{}]})", taxonomy).rules.rules.size() ==
              1);
        CHECK_THROWS_WITH_AS(parse_rules_document("[]", taxonomy),
                             "expected {\"ModerationRules\": [...]} (an object)", RulesError);
        CHECK_THROWS_WITH_AS(parse_rules_document("{", taxonomy), "not valid JSON", RulesError);
        CHECK_THROWS_WITH_AS(parse_rules_document(R"({"Rules": []})", taxonomy),
                             doctest::Contains("unknown member \"Rules\""), RulesError);
        CHECK_THROWS_WITH_AS(parse_rules_document(R"({})", taxonomy),
                             doctest::Contains("it has no ModerationRules"), RulesError);
    }
}
