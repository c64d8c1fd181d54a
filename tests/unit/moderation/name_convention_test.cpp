#include "name_convention.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using rekmock::moderation::ImageScript;
using rekmock::moderation::label_slug;
using rekmock::moderation::ModerationTaxonomy;
using rekmock::moderation::NameConvention;
using rekmock::moderation::ScriptedContentType;
using rekmock::moderation::ScriptedLabel;

namespace {

std::optional<ImageScript> script(const char* source_ref) {
    static const NameConvention convention(ModerationTaxonomy::aws_v7());
    return convention.script(source_ref);
}

std::string error_of(const char* source_ref) {
    const auto got = script(source_ref);
    REQUIRE(got);
    REQUIRE(got->error);
    CHECK(got->error->code == "ERROR_MOCK_NAME_CONVENTION");
    return got->error->message;
}

}  // namespace

TEST_SUITE("name_convention") {
    TEST_CASE("every label has a slug, and no two labels share one") {
        std::set<std::string> slugs;
        for (const auto& label : ModerationTaxonomy::aws_v7().labels()) {
            const auto slug = label_slug(label.name);
            CHECK(slugs.insert(slug).second);
            CHECK(slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
                  std::string::npos);
            CHECK(script(("s3://b/rkm-label-" + slug + "-77.jpg").c_str())->labels ==
                  std::vector<ScriptedLabel>{{label.name, 77}});
        }
        CHECK(label_slug("Drugs & Tobacco Paraphernalia & Use") ==
              "drugs-tobacco-paraphernalia-use");
        CHECK(label_slug("Self-Harm") == "self-harm");
    }

    TEST_CASE("labels, content types and confidences are read from the source-ref") {
        const auto got = script(
            "s3://b/in/rkm-label-weapons-93_RKM-Label-Smoking-71.5/"
            "rkm-content-animated-88.png");
        REQUIRE(got);
        CHECK(got->labels == std::vector<ScriptedLabel>{{"Weapons", 93}, {"Smoking", 71.5}});
        CHECK(got->content_types == std::vector<ScriptedContentType>{{"Animated", 88}});
        CHECK_FALSE(got->error);
        CHECK(script("s3://b/rkm-label-explicit-nudity-97.jpg")->labels.front().name ==
              "Explicit Nudity");
        CHECK(script("s3://b/rkm-label-explicit-97.jpg")->labels.front().name == "Explicit");
        CHECK(script("s3://b/rkm-label-non-explicit-nudity-60")->labels.front().name ==
              "Non-Explicit Nudity");
        CHECK(script("rkm-label-gambling-100")->labels.front().confidence == 100);
        CHECK(script("s3://b/rkm-label-gambling-0.jpg")->labels.front().confidence == 0);
    }

    TEST_CASE("source-refs without a token script nothing") {
        CHECK_FALSE(script("s3://b/label-weapons-93.jpg"));
        CHECK_FALSE(script("s3://b/xrkm-label-weapons-93.jpg"));  // not at a token start
        CHECK_FALSE(script("s3://b/rkm-other-thing.jpg"));
        CHECK_FALSE(script("s3://b/rkm-.jpg"));
        CHECK_FALSE(script(""));
    }

    TEST_CASE("an error token scripts a line error") {
        const auto got = script("s3://b/rkm-error-error_corrupt_image.jpg");
        REQUIRE(got);
        REQUIRE(got->error);
        CHECK(got->error->code == "ERROR_CORRUPT_IMAGE");
        CHECK(got->error->message ==
              "Scripted by the source-ref's rkm-error-ERROR_CORRUPT_IMAGE token.");
        CHECK(got->labels.empty());
    }

    TEST_CASE("a token that names nothing valid is an error on the line, with the nearest names") {
        CHECK(error_of("s3://b/rkm-label-weapns-93.jpg") ==
              "The token rkm-label-weapns-93 names no moderation label with a confidence "
              "from 0 to 100 (rkm-label-<label>-<confidence>); nearest labels: weapons, "
              "corpses, crashes.");
        CHECK(error_of("s3://b/rkm-label-weapons-101.jpg").find("no moderation label") !=
              std::string::npos);
        CHECK(error_of("s3://b/rkm-label-weapons-93x.jpg").find("no moderation label") !=
              std::string::npos);
        CHECK(error_of("s3://b/rkm-label-weapons.jpg").find("no moderation label") !=
              std::string::npos);
        CHECK(error_of("s3://b/rkm-content-cartoon-50.jpg") ==
              "The token rkm-content-cartoon-50 names no content type with a confidence from "
              "0 to 100 (rkm-content-<type>-<confidence>; types: illustrated, animated).");
        CHECK(error_of("s3://b/rkm-label-weapons-9_rkm-label-weapons-8") ==
              "The label weapons is named twice in the source-ref.");
        CHECK(error_of("s3://b/rkm-error-.jpg").find("names no error code") != std::string::npos);
    }

    TEST_CASE("a label token longer than any can be is refused without a search, quoted in part") {
        const std::string letters(65000, 'a');
        const std::string message = error_of(("s3://b/rkm-label-" + letters + ".jpg").c_str());
        CHECK(message == "The token rkm-label-" + letters.substr(0, 70) +
                             "... (65010 characters) names no moderation label with a confidence "
                             "from 0 to 100: it is longer than any rkm-label-<label>-<confidence> "
                             "token (at most 79 characters).");
        CHECK(error_of(("s3://b/rkm-content-" + letters + "-50.jpg").c_str())
                  .starts_with("The token rkm-content-" + letters.substr(0, 68) +
                               "... (65015 characters) names no content type"));

        // The bound is the longest slug with the longest confidence: 15 decimals at most.
        std::string longest;
        for (const auto& label : ModerationTaxonomy::aws_v7().labels()) {
            if (label_slug(label.name).size() > longest.size()) {
                longest = label_slug(label.name);
            }
        }
        const std::string token = "rkm-label-" + longest + "-100.000000000000000";
        CHECK(token.size() == 79);
        REQUIRE(script(token.c_str()));
        CHECK(script(token.c_str())->labels.size() == 1);
        CHECK(error_of((token + "0").c_str()).find("longer than any") != std::string::npos);
        CHECK(script("rkm-label-weapons-93.123456789012345")->labels.front().confidence ==
              doctest::Approx(93.123456789012345));
        CHECK(error_of("rkm-label-weapons-93.1234567890123456").find("nearest labels: weapons") !=
              std::string::npos);
    }
}
