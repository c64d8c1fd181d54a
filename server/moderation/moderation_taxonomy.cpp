#include "moderation_taxonomy.hpp"

#include <algorithm>
#include <boost/algorithm/string/case_conv.hpp>
#include <locale>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "embedded_taxonomy_json.hpp"
#include "json_members.hpp"

namespace rekmock::moderation {

namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& what) {
    throw std::invalid_argument("moderation taxonomy: " + what);
}

// A member fault, named by its owner as the data's other faults are.
[[noreturn]] void refuse(const json::MemberError& error) {
    if (error.fault == json::Fault::Missing) {
        fail(error.owner + " has no \"" + error.name + "\"");
    }
    fail(error.owner + ": \"" + error.name + "\" is not " + error.expected);
}

constexpr json::Policy kDataRules{json::Nulls::Refused, &refuse};

// The members of `object`, which messages call `owner` ("the document", "label \"Weapons\"").
json::Members members_of(const Json& object, const std::string& owner) {
    return json::Members(object, kDataRules, owner + ".");
}

std::string in_quotes(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

// ASCII only (the classic locale): AWS's label names are ASCII, and the user's locale must not
// change what matches.
std::string lower(std::string_view text) {
    return boost::algorithm::to_lower_copy(std::string(text), std::locale::classic());
}

// Levenshtein distance (insertions, deletions and substitutions of single bytes), two rows.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    std::iota(previous.begin(), previous.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

}  // namespace

const ModerationTaxonomy& ModerationTaxonomy::aws_v7() {
    // A magic static: parsed on first use, once, even when threads race to it. The unit tests
    // parse the same data, so a fault in it fails the build's tests, never a request.
    static const ModerationTaxonomy taxonomy = parse(embedded_taxonomy_json());
    return taxonomy;
}

ModerationTaxonomy ModerationTaxonomy::parse(std::string_view text) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::parse_error& e) {
        fail(std::string("not JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        fail("not a JSON object");
    }

    ModerationTaxonomy taxonomy;
    const json::Members document = members_of(doc, "the document");
    taxonomy.model_version_ = document.required_string("model_version");

    const Json& labels = document.required("labels");
    if (!labels.is_array() || labels.empty()) {
        fail("\"labels\" is not a non-empty array");
    }
    for (const Json& row : labels) {
        if (!row.is_object()) {
            fail("a label is not an object");
        }
        TaxonomyLabel label;
        label.name = members_of(row, "a label").required_string("name");
        const std::string owner = "label " + in_quotes(label.name);
        if (label.name.empty()) {
            fail("a label has an empty name");
        }
        const json::Members fields = members_of(row, owner);
        label.parent = fields.required_string("parent");
        const Json& level = fields.required("level");
        if (!level.is_number_integer() || level.get<long long>() < 1 ||
            level.get<long long>() > 3) {
            fail(owner + ": \"level\" is not 1, 2 or 3");
        }
        label.level = level.get<int>();
        if (!taxonomy.index_.emplace(label.name, taxonomy.labels_.size()).second) {
            fail(owner + " is listed twice");
        }
        taxonomy.labels_.push_back(std::move(label));
    }

    // Levels tie the tree down: a level-1 label has no parent, any other label's parent exists
    // and sits one level up, so every chain of parents ends at level 1 and no cycle can exist.
    for (const TaxonomyLabel& label : taxonomy.labels_) {
        const std::string owner = "label " + in_quotes(label.name);
        if (label.level == 1) {
            if (!label.parent.empty()) {
                fail(owner + " is at level 1 but has parent " + in_quotes(label.parent));
            }
            continue;
        }
        const TaxonomyLabel* parent = taxonomy.find(label.parent);
        if (parent == nullptr) {
            fail(owner + ": its parent " + in_quotes(label.parent) + " is not a label");
        }
        if (parent->level + 1 != label.level) {
            fail(owner + " is at level " + std::to_string(label.level) + " but its parent " +
                 in_quotes(parent->name) + " is at level " + std::to_string(parent->level));
        }
    }

    const Json& content_types = document.required("content_types");
    if (!content_types.is_array()) {
        fail("\"content_types\" is not an array");
    }
    for (const Json& type : content_types) {
        if (!type.is_string() || type.get<std::string>().empty()) {
            fail("a content type is not a non-empty string");
        }
        std::string name = type.get<std::string>();
        if (taxonomy.is_content_type(name)) {
            fail("content type " + in_quotes(name) + " is listed twice");
        }
        taxonomy.content_types_.push_back(std::move(name));
    }
    return taxonomy;
}

const TaxonomyLabel* ModerationTaxonomy::find(std::string_view name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &labels_[it->second];
}

std::vector<const TaxonomyLabel*> ModerationTaxonomy::with_ancestors(std::string_view name) const {
    std::vector<const TaxonomyLabel*> chain;
    for (const TaxonomyLabel* label = find(name); label != nullptr;
         label = label->level == 1 ? nullptr : find(label->parent)) {
        chain.push_back(label);
    }
    return chain;
}

std::vector<std::string> ModerationTaxonomy::nearest(std::string_view name,
                                                     std::size_t count) const {
    // Names that contain the text come first ("Nudity" means one of the nudity labels, not
    // "Nazi Party", which is fewer edits away), a case-insensitive match among them at distance
    // 0; then the rest, both by edit distance.
    const std::string wanted = lower(name);
    struct Ranked {
        bool contains = false;
        std::size_t distance = 0;
        const std::string* name = nullptr;
    };
    std::vector<Ranked> ranked;
    ranked.reserve(labels_.size());
    for (const TaxonomyLabel& label : labels_) {
        const std::string candidate = lower(label.name);
        ranked.push_back({!wanted.empty() && candidate.find(wanted) != std::string::npos,
                          edit_distance(wanted, candidate), &label.name});
    }
    std::ranges::sort(ranked, [](const Ranked& a, const Ranked& b) {
        return std::tuple(!a.contains, a.distance, *a.name) <
               std::tuple(!b.contains, b.distance, *b.name);
    });
    std::vector<std::string> names;
    for (std::size_t i = 0; i < std::min(count, ranked.size()); ++i) {
        names.push_back(*ranked[i].name);
    }
    return names;
}

bool ModerationTaxonomy::is_content_type(std::string_view name) const {
    return std::ranges::find(content_types_, name) != content_types_.end();
}

}  // namespace rekmock::moderation
