#include "moderation_rules_json.hpp"

#include <array>
#include <cmath>

#include "comma_list.hpp"
#include "json_members.hpp"
#include "json_writer.hpp"

namespace rekmock::moderation {
namespace {

using nlohmann::ordered_json;

constexpr std::size_t kMaxPattern = 2048;  // longer than any S3 URI (bucket 63 + key 1024)
constexpr std::size_t kMaxCode = 128;
constexpr std::size_t kMaxMessage = 2048;

// The member that names each kind of source match (a rule without one matches any source).
constexpr std::array<std::pair<const char*, SourceMatch::Kind>, 3> kSourceMembers{
    {{"SourceRef", SourceMatch::Kind::Exact},
     {"SourceRefPrefix", SourceMatch::Kind::Prefix},
     {"SourceRefGlob", SourceMatch::Kind::Glob}}};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw RulesError(where + ": " + what);
}

// Every member fault as a RulesError naming its place. A null member is not an absent one: the
// rules have no defaults a null could ask for.
[[noreturn]] void refuse(const json::MemberError& error) {
    if (error.fault == json::Fault::Missing) {
        fail(error.owner, "has no " + error.name);
    }
    fail(error.path, "must be " + error.expected);
}

constexpr json::Policy kRulesPolicy{json::Nulls::Refused, &refuse};

std::string json_quoted(std::string_view text) {
    std::string quoted;
    json::JsonWriter(quoted).value(text);
    return quoted;
}

// Member `name` when present: a string, empty only when `allow_empty`, at most `max` bytes long.
std::optional<std::string> text_member(const json::Members& object, std::string_view name,
                                       std::size_t max, bool allow_empty = false) {
    auto text = object.string(name);
    if (text && !allow_empty && text->empty()) {
        fail(object.path_of(name), "must not be empty");
    }
    if (text && text->size() > max) {
        fail(object.path_of(name), "must be at most " + std::to_string(max) + " bytes long");
    }
    return text;
}

double confidence_member(const json::Members& item) {
    constexpr std::string_view kRange = "a number from 0 to 100";
    if (item.find("Confidence") == nullptr) {
        fail(item.path(), "has no Confidence (a number from 0 to 100)");
    }
    const double confidence = *item.number("Confidence", kRange);
    if (!(confidence >= 0 && confidence <= 100)) {
        fail(item.path_of("Confidence"), "must be " + std::string(kRange));
    }
    // -0 passes the range check but Rekognition never answers a negative zero: it is 0.
    return confidence == 0 ? 0.0 : confidence;
}

template <std::size_t N>
void only_members(const nlohmann::json& object, const std::string& where,
                  const std::array<std::string_view, N>& allowed) {
    for (const auto& [key, value] : object.items()) {
        if (std::ranges::find(allowed, key) == allowed.end()) {
            fail(where, "has an unknown member " + json_quoted(key) +
                            " (members: " + comma_list(allowed) + ")");
        }
    }
}

// The {"Name", "Confidence"} objects of the rule's member `member`, each name once; `unknown`
// says why a name is refused, or "" for a valid one.
template <typename Named, typename Unknown>
std::vector<Named> read_named(const json::Members& rule, std::string_view member,
                              const Unknown& unknown) {
    std::vector<Named> out;
    const auto items = rule.array(member, "an array of {\"Name\", \"Confidence\"}");
    if (!items) {
        return out;
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
        const json::Members item = items->object(i, "an object {\"Name\", \"Confidence\"}");
        only_members(item.json(), item.path(),
                     std::array<std::string_view, 2>{"Name", "Confidence"});
        item.required("Name");
        Named named;
        named.name = *text_member(item, "Name", 256);
        if (const std::string why = unknown(named.name); !why.empty()) {
            fail(item.path_of("Name"), json_quoted(named.name) + why);
        }
        if (std::ranges::find(out, named.name, &Named::name) != out.end()) {
            fail(item.path_of("Name"), json_quoted(named.name) + " is given twice in this rule");
        }
        named.confidence = confidence_member(item);
        out.push_back(std::move(named));
    }
    return out;
}

std::vector<ScriptedLabel> read_labels(const json::Members& rule,
                                       const ModerationTaxonomy& taxonomy) {
    return read_named<ScriptedLabel>(rule, "Labels", [&taxonomy](const std::string& name) {
        return taxonomy.find(name) != nullptr
                   ? std::string()
                   : " is not a moderation label of model " + taxonomy.model_version() +
                         "; nearest: " + comma_list(taxonomy.nearest(name, 3), json_quoted);
    });
}

std::vector<ScriptedContentType> read_content_types(const json::Members& rule,
                                                    const ModerationTaxonomy& taxonomy) {
    return read_named<ScriptedContentType>(
        rule, "ContentTypes", [&taxonomy](const std::string& name) {
            if (taxonomy.is_content_type(name)) {
                return std::string();
            }
            return " is not a content type (" + comma_list(taxonomy.content_types(), json_quoted) +
                   ")";
        });
}

ScriptedError read_error(const json::Members& error) {
    only_members(error.json(), error.path(), std::array<std::string_view, 2>{"Code", "Message"});
    error.required("Code");
    ScriptedError out;
    out.code = *text_member(error, "Code", kMaxCode);
    for (const char c : out.code) {
        if (c <= ' ' || c > '~' || c == '"' || c == '\\') {
            fail(error.path_of("Code"), "must be printable ASCII without spaces or quotes");
        }
    }
    out.message =
        text_member(error, "Message", kMaxMessage, true).value_or("Scripted by a moderation rule.");
    return out;
}

ModerationRule read_rule(const json::Members& value, const ModerationTaxonomy& taxonomy) {
    only_members(
        value.json(), value.path(),
        std::array<std::string_view, 8>{"SourceRef", "SourceRefPrefix", "SourceRefGlob", "JobName",
                                        "ProjectVersion", "Labels", "ContentTypes", "Error"});
    ModerationRule rule;
    for (const auto& [member, kind] : kSourceMembers) {
        if (value.find(member) == nullptr) {
            continue;
        }
        if (rule.source.kind != SourceMatch::Kind::Any) {
            fail(value.path(),
                 "gives more than one of SourceRef, SourceRefPrefix and SourceRefGlob");
        }
        rule.source = SourceMatch{kind, *text_member(value, member, kMaxPattern)};
    }
    rule.job_name = text_member(value, "JobName", kMaxPattern);
    rule.project_version = text_member(value, "ProjectVersion", kMaxPattern);
    rule.script.labels = read_labels(value, taxonomy);
    rule.script.content_types = read_content_types(value, taxonomy);
    if (value.find("Error") != nullptr) {
        if (value.find("Labels") != nullptr || value.find("ContentTypes") != nullptr) {
            fail(value.path(),
                 "gives an Error with Labels or ContentTypes (an image with an error has "
                 "no results line)");
        }
        rule.script.error = read_error(*value.object("Error", "an object {\"Code\", \"Message\"}"));
    }
    return rule;
}

ordered_json named_confidence(const std::string& name, double confidence) {
    return ordered_json{{"Name", name}, {"Confidence", confidence}};
}

}  // namespace

ModerationRules parse_moderation_rules(const nlohmann::json& rules,
                                       const ModerationTaxonomy& taxonomy) {
    const json::Elements items(rules, kRulesPolicy, "ModerationRules", "an array of rules");
    if (items.size() > kMaxRules) {
        fail("ModerationRules", "has " + std::to_string(items.size()) + " rules; at most " +
                                    std::to_string(kMaxRules) + " are allowed");
    }
    ModerationRules out;
    out.rules.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        out.rules.push_back(read_rule(items.object(i), taxonomy));
    }
    return out;
}

ordered_json rules_to_json(const ModerationRules& rules) {
    ordered_json out = ordered_json::array();
    for (const auto& rule : rules.rules) {
        ordered_json item = ordered_json::object();
        for (const auto& [member, kind] : kSourceMembers) {
            if (rule.source.kind == kind) {
                item[member] = rule.source.pattern;
            }
        }
        if (rule.job_name) {
            item["JobName"] = *rule.job_name;
        }
        if (rule.project_version) {
            item["ProjectVersion"] = *rule.project_version;
        }
        if (rule.script.error) {
            item["Error"] = ordered_json{{"Code", rule.script.error->code},
                                         {"Message", rule.script.error->message}};
        } else {
            item["Labels"] = ordered_json::array();
            for (const auto& label : rule.script.labels) {
                item["Labels"].push_back(named_confidence(label.name, label.confidence));
            }
            if (!rule.script.content_types.empty()) {
                item["ContentTypes"] = ordered_json::array();
                for (const auto& type : rule.script.content_types) {
                    item["ContentTypes"].push_back(named_confidence(type.name, type.confidence));
                }
            }
        }
        out.push_back(std::move(item));
    }
    return out;
}

std::string freeze_rules(const ModerationRules& rules) {
    return json::to_text(rules_to_json(rules));
}

ModerationRules thaw_rules(std::string_view frozen, const ModerationTaxonomy& taxonomy) {
    try {
        return parse_moderation_rules(nlohmann::json::parse(frozen), taxonomy);
    } catch (const nlohmann::json::exception& e) {
        throw RulesError(e.what());
    }
}

RulesDocument parse_rules_document(std::string_view text, const ModerationTaxonomy& taxonomy) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        throw RulesError("not valid JSON");
    }
    if (!doc.is_object()) {
        throw RulesError("expected {\"ModerationRules\": [...]} (an object)");
    }
    only_members(doc, "the document",
                 std::array<std::string_view, 3>{"AccountId", "Region", "ModerationRules"});
    const json::Members members(doc, kRulesPolicy);
    const nlohmann::json* rules = members.find("ModerationRules");
    if (rules == nullptr) {
        throw RulesError("expected {\"ModerationRules\": [...]}: it has no ModerationRules");
    }
    RulesDocument out;
    out.account = text_member(members, "AccountId", 64, true);
    out.region = text_member(members, "Region", 64, true);
    out.rules = parse_moderation_rules(*rules, taxonomy);
    return out;
}

}  // namespace rekmock::moderation
