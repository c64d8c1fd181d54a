#include "moderation_taxonomy.hpp"

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "embedded_taxonomy_json.hpp"

using rekmock::moderation::ModerationTaxonomy;
using rekmock::moderation::TaxonomyLabel;

namespace {

std::vector<std::string> names_of(const std::vector<const TaxonomyLabel*>& labels) {
    std::vector<std::string> names;
    for (const TaxonomyLabel* label : labels) {
        names.push_back(label->name);
    }
    return names;
}

// The embedded document with one label's row changed, to show parse() refuses the fault.
std::string with_row_changed(const std::string& name, const char* key, nlohmann::json value) {
    auto doc = nlohmann::json::parse(rekmock::moderation::embedded_taxonomy_json());
    for (auto& row : doc["labels"]) {
        if (row["name"] == name) {
            row[key] = std::move(value);
        }
    }
    return doc.dump();
}

}  // namespace

TEST_SUITE("moderation_taxonomy") {
    TEST_CASE("the compiled-in data parses, and is AWS's model 7.0") {
        CHECK_NOTHROW(ModerationTaxonomy::parse(rekmock::moderation::embedded_taxonomy_json()));
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        CHECK(taxonomy.model_version() == "7.0");
        CHECK(&taxonomy == &ModerationTaxonomy::aws_v7());
    }

    TEST_CASE("integrity: every parent exists one level up, level 1 has parent \"\"") {
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        for (const TaxonomyLabel& label : taxonomy.labels()) {
            CAPTURE(label.name);
            CHECK(label.level >= 1);
            CHECK(label.level <= 3);
            if (label.level == 1) {
                CHECK(label.parent.empty());
                continue;
            }
            const TaxonomyLabel* parent = taxonomy.find(label.parent);
            REQUIRE(parent != nullptr);
            CHECK(parent->level + 1 == label.level);
        }
    }

    TEST_CASE("integrity: names are unique and find() returns each label") {
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        std::set<std::string> names;
        for (const TaxonomyLabel& label : taxonomy.labels()) {
            CAPTURE(label.name);
            CHECK(names.insert(label.name).second);
            CHECK(taxonomy.find(label.name) == &label);
        }
    }

    TEST_CASE("the counts per level are those of AWS's table: 10, 20 and 22 labels") {
        std::map<int, int> per_level;
        for (const TaxonomyLabel& label : ModerationTaxonomy::aws_v7().labels()) {
            ++per_level[label.level];
        }
        CHECK(per_level == std::map<int, int>{{1, 10}, {2, 20}, {3, 22}});
        CHECK(ModerationTaxonomy::aws_v7().labels().size() == 52);
    }

    TEST_CASE("the level-1 labels, in the table's order") {
        std::vector<std::string> top;
        for (const TaxonomyLabel& label : ModerationTaxonomy::aws_v7().labels()) {
            if (label.level == 1) {
                top.push_back(label.name);
            }
        }
        CHECK(top == std::vector<std::string>{"Explicit",
                                              "Non-Explicit Nudity of Intimate parts and Kissing",
                                              "Swimwear or Underwear", "Violence",
                                              "Visually Disturbing", "Drugs & Tobacco", "Alcohol",
                                              "Rude Gestures", "Gambling", "Hate Symbols"});
    }

    TEST_CASE("find() is exact and case-sensitive, as AWS spells the names") {
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        const TaxonomyLabel* label = taxonomy.find("Exposed Buttocks or Anus");
        REQUIRE(label != nullptr);
        CHECK(label->parent == "Explicit Nudity");
        CHECK(label->level == 3);
        CHECK(taxonomy.find("Exposed Buttocks Or Anus") == nullptr);
        CHECK(taxonomy.find("explicit") == nullptr);
        CHECK(taxonomy.find("Explicit ") == nullptr);
        CHECK(taxonomy.find("") == nullptr);
    }

    TEST_CASE("with_ancestors() lists the label, its parent, then its grandparent") {
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        SUBCASE("level 3: the order of AWS's sample DetectModerationLabels response") {
            CHECK(names_of(taxonomy.with_ancestors("Smoking")) ==
                  std::vector<std::string>{"Smoking", "Drugs & Tobacco Paraphernalia & Use",
                                           "Drugs & Tobacco"});
            const auto chain = taxonomy.with_ancestors("Partially Exposed Female Breast");
            REQUIRE(chain.size() == 3);
            CHECK(chain[0]->level == 3);
            CHECK(chain[1]->name == "Non-Explicit Nudity");
            CHECK(chain[2]->name == "Non-Explicit Nudity of Intimate parts and Kissing");
        }
        SUBCASE("level 2") {
            CHECK(names_of(taxonomy.with_ancestors("Weapons")) ==
                  std::vector<std::string>{"Weapons", "Violence"});
        }
        SUBCASE("level 1") {
            CHECK(names_of(taxonomy.with_ancestors("Gambling")) ==
                  std::vector<std::string>{"Gambling"});
        }
        SUBCASE("an unknown or wrongly cased name has no chain") {
            CHECK(taxonomy.with_ancestors("Nudity").empty());
            CHECK(taxonomy.with_ancestors("smoking").empty());
        }
    }

    TEST_CASE("nearest() suggests valid names for one that is not") {
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        SUBCASE("a misspelling") {
            CHECK(taxonomy.nearest("Explict Nudity", 1) ==
                  std::vector<std::string>{"Explicit Nudity"});
            CHECK(taxonomy.nearest("Blood and Gore", 1) ==
                  std::vector<std::string>{"Blood & Gore"});
        }
        SUBCASE("a wrong case comes first, whatever the distance of the others") {
            CHECK(taxonomy.nearest("non-explicit nudity", 2) ==
                  std::vector<std::string>{"Non-Explicit Nudity",
                                           "Non-Explicit Nudity of Intimate parts and Kissing"});
        }
        SUBCASE("names containing the text come before closer spellings") {
            CHECK(taxonomy.nearest("Nudity", 3) == std::vector<std::string>{"Implied Nudity",
                                                                            "Explicit Nudity",
                                                                            "Non-Explicit Nudity"});
            CHECK(taxonomy.nearest("SEX TOYS", 1) == std::vector<std::string>{"Sex Toys"});
        }
        SUBCASE("a nonsense name still gets the closest names, in a fixed order") {
            // "Pills" is 5 edits away; five names are 7 away, and the tie goes to name order.
            CHECK(taxonomy.nearest("zzz", 3) ==
                  std::vector<std::string>{"Pills", "Alcohol", "Corpses"});
            CHECK(taxonomy.nearest("zzz", 3) == taxonomy.nearest("zzz", 3));
        }
        SUBCASE("count bounds the answer") {
            CHECK(taxonomy.nearest("Violence", 0).empty());
            CHECK(taxonomy.nearest("Violence", 1000).size() == taxonomy.labels().size());
        }
    }

    TEST_CASE("content types: Animated and Illustrated, exactly as AWS spells them") {
        const auto& taxonomy = ModerationTaxonomy::aws_v7();
        CHECK(std::vector<std::string>(taxonomy.content_types().begin(),
                                       taxonomy.content_types().end()) ==
              std::vector<std::string>{"Animated", "Illustrated"});
        CHECK(taxonomy.is_content_type("Animated"));
        CHECK(taxonomy.is_content_type("Illustrated"));
        CHECK_FALSE(taxonomy.is_content_type("animated"));
        CHECK_FALSE(taxonomy.is_content_type("Explicit"));
        CHECK_FALSE(taxonomy.is_content_type(""));
    }

    TEST_CASE("parse() refuses inconsistent data, naming the label at fault") {
        using doctest::Contains;
        SUBCASE("not JSON") {
            CHECK_THROWS_WITH_AS(ModerationTaxonomy::parse("{"), Contains("not JSON"),
                                 std::invalid_argument);
        }
        SUBCASE("a missing parent") {
            CHECK_THROWS_WITH_AS(
                ModerationTaxonomy::parse(with_row_changed("Pills", "parent", "Drugs")),
                Contains("\"Pills\": its parent \"Drugs\" is not a label"), std::invalid_argument);
        }
        SUBCASE("a level that is not its parent's + 1") {
            CHECK_THROWS_WITH_AS(ModerationTaxonomy::parse(with_row_changed("Weapons", "level", 3)),
                                 Contains("\"Weapons\" is at level 3"), std::invalid_argument);
        }
        SUBCASE("a level-1 label with a parent") {
            CHECK_THROWS_WITH_AS(
                ModerationTaxonomy::parse(with_row_changed("Gambling", "parent", "Violence")),
                Contains("\"Gambling\" is at level 1"), std::invalid_argument);
        }
        SUBCASE("a level out of 1..3") {
            CHECK_THROWS_WITH_AS(
                ModerationTaxonomy::parse(with_row_changed("Gambling", "level", 0)),
                Contains("\"Gambling\": \"level\" is not 1, 2 or 3"), std::invalid_argument);
        }
        SUBCASE("a name listed twice") {
            CHECK_THROWS_WITH_AS(
                ModerationTaxonomy::parse(with_row_changed("Extremist", "name", "Nazi Party")),
                Contains("\"Nazi Party\" is listed twice"), std::invalid_argument);
        }
        SUBCASE("a content type listed twice") {
            auto doc = nlohmann::json::parse(rekmock::moderation::embedded_taxonomy_json());
            doc["content_types"].push_back("Animated");
            CHECK_THROWS_WITH_AS(ModerationTaxonomy::parse(doc.dump()),
                                 Contains("\"Animated\" is listed twice"), std::invalid_argument);
        }
    }
}
