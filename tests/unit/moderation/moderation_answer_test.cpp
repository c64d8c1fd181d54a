#include "moderation_answer.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using rekmock::moderation::answer_for;
using rekmock::moderation::ImageScript;
using rekmock::moderation::ModerationAnswer;
using rekmock::moderation::ModerationTaxonomy;
using rekmock::moderation::ScriptedLabel;

namespace {

// "Name@Confidence" for each label, in the answer's order.
std::vector<std::string> listed(const ModerationAnswer& answer) {
    std::vector<std::string> out;
    for (const auto& detected : answer.labels) {
        std::string confidence = std::to_string(detected.confidence);
        confidence.erase(confidence.find_last_not_of('0') + 1);
        if (confidence.back() == '.') {
            confidence.pop_back();
        }
        out.push_back(detected.label->name + "@" + confidence);
    }
    return out;
}

ModerationAnswer answer(std::vector<ScriptedLabel> labels, double min_confidence = 50) {
    ImageScript script;
    script.labels = std::move(labels);
    return answer_for(script, min_confidence, ModerationTaxonomy::aws_v7());
}

using Names = std::vector<std::string>;

}  // namespace

TEST_SUITE("moderation_answer") {
    TEST_CASE("a label comes with its parent and grandparent, at its confidence") {
        const auto got = answer({{"Exposed Female Nipple", 97}});
        CHECK(listed(got) ==
              Names{"Exposed Female Nipple@97", "Explicit Nudity@97", "Explicit@97"});
        CHECK(got.labels[0].label->parent == "Explicit Nudity");
        CHECK(got.labels[0].label->level == 3);
        CHECK(got.labels[2].label->parent.empty());
    }

    TEST_CASE("a shared ancestor is listed once, at the highest confidence below it") {
        CHECK(listed(answer({{"Weapon Violence", 70}, {"Blood & Gore", 90}, {"Weapons", 60}})) ==
              Names{"Weapon Violence@70", "Graphic Violence@90", "Violence@90", "Blood & Gore@90",
                    "Weapons@60"});
    }

    TEST_CASE("an ancestor the script names keeps its own confidence, wherever it is named") {
        CHECK(listed(answer({{"Smoking", 95}, {"Drugs & Tobacco", 55}})) ==
              Names{"Smoking@95", "Drugs & Tobacco Paraphernalia & Use@95", "Drugs & Tobacco@55"});
        CHECK(listed(answer({{"Drugs & Tobacco", 55}, {"Smoking", 95}})) ==
              Names{"Drugs & Tobacco@55", "Smoking@95", "Drugs & Tobacco Paraphernalia & Use@95"});
    }

    TEST_CASE("MinConfidence keeps labels at or above it, each on its own confidence") {
        const std::vector<ScriptedLabel> script{{"Weapons", 80}, {"Violence", 60}};
        CHECK(listed(answer(script, 60)) == Names{"Weapons@80", "Violence@60"});
        CHECK(listed(answer(script, 60.000001)) == Names{"Weapons@80"});  // child stays alone
        CHECK(listed(answer(script, 80)) == Names{"Weapons@80"});
        CHECK(listed(answer(script, 80.5)).empty());
        CHECK(listed(answer({{"Weapons", 0}}, 0)) == Names{"Weapons@0", "Violence@0"});
        CHECK(listed(answer({{"Weapons", 100}}, 100)) == Names{"Weapons@100", "Violence@100"});
        CHECK(listed(answer({{"Weapons", 49.99}})).empty());  // the default of 50
        CHECK(rekmock::moderation::kDefaultMinConfidence == 50.0);
    }

    TEST_CASE("content types are passed through, not filtered") {
        ImageScript script;
        script.content_types = {{"Animated", 12}, {"Illustrated", 99}};
        const auto got = answer_for(script, 90, ModerationTaxonomy::aws_v7());
        CHECK(got.labels.empty());
        CHECK(got.content_types == script.content_types);
    }
}
