#include "moderation_rules_json.hpp"

#include <array>
#include <cmath>

#include "comma_list.hpp"
#include "json_writer.hpp"

namespace rekmock::moderation {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::size_t kMaxPattern = 2048;  // longer than any S3 URI (bucket 63 + key 1024)
constexpr std::size_t kMaxCode = 128;
constexpr std::size_t kMaxMessage = 2048;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw RulesError(where + ": " + what);
}

std::string json_quoted(std::string_view text) {
    std::string quoted;
    rekmock::json::JsonWriter(quoted).value(text);
    return quoted;
}

std::string string_member(const json& value, const std::string& where, std::size_t max,
                          bool allow_empty) {
    if (!value.is_string()) {
        fail(where, "must be a string");
    }
    std::string text = value.get<std::string>();
    if (!allow_empty && text.empty()) {
        fail(where, "must not be empty");
    }
    if (text.size() > max) {
        fail(where, "must be at most " + std::to_string(max) + " bytes long");
    }
    return text;
}

double confidence_member(const json& object, const std::string& where) {
    const auto it = object.find("Confidence");
    if (it == object.end()) {
        fail(where, "has no Confidence (a number from 0 to 100)");
    }
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
        it->get<double>() > 100) {
        fail(where + ".Confidence", "must be a number from 0 to 100");
    }
    // -0 passes the range check but Rekognition never answers a negative zero: it is 0.
    const double confidence = it->get<double>();
    return confidence == 0 ? 0.0 : confidence;
}

template <std::size_t N>
void only_members(const json& object, const std::string& where,
                  const std::array<std::string_view, N>& allowed) {
    for (const auto& [key, value] : object.items()) {
        if (std::ranges::find(allowed, key) == allowed.end()) {
            fail(where, "has an unknown member " + json_quoted(key) +
                            " (members: " + comma_list(allowed) + ")");
        }
    }
}

// The {"Name", "Confidence"} objects of `items`, each name once; `unknown` says why a name is
// refused, or "" for a valid one.
template <typename Named, typename Unknown>
std::vector<Named> read_named(const json& items, const std::string& where, const Unknown& unknown) {
    if (!items.is_array()) {
        fail(where, "must be an array of {\"Name\", \"Confidence\"}");
    }
    std::vector<Named> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        if (!items[i].is_object()) {
            fail(at, "must be an object {\"Name\", \"Confidence\"}");
        }
        only_members(items[i], at, std::array<std::string_view, 2>{"Name", "Confidence"});
        if (!items[i].contains("Name")) {
            fail(at, "has no Name");
        }
        Named item;
        item.name = string_member(items[i]["Name"], at + ".Name", 256, false);
        if (const std::string why = unknown(item.name); !why.empty()) {
            fail(at + ".Name", json_quoted(item.name) + why);
        }
        if (std::ranges::find(out, item.name, &Named::name) != out.end()) {
            fail(at + ".Name", json_quoted(item.name) + " is given twice in this rule");
        }
        item.confidence = confidence_member(items[i], at);
        out.push_back(std::move(item));
    }
    return out;
}

std::vector<ScriptedLabel> read_labels(const json& labels, const std::string& where,
                                       const ModerationTaxonomy& taxonomy) {
    return read_named<ScriptedLabel>(labels, where, [&taxonomy](const std::string& name) {
        return taxonomy.find(name) != nullptr
                   ? std::string()
                   : " is not a moderation label of model " + taxonomy.model_version() +
                         "; nearest: " + comma_list(taxonomy.nearest(name, 3), json_quoted);
    });
}

std::vector<ScriptedContentType> read_content_types(const json& types, const std::string& where,
                                                    const ModerationTaxonomy& taxonomy) {
    return read_named<ScriptedContentType>(types, where, [&taxonomy](const std::string& name) {
        if (taxonomy.is_content_type(name)) {
            return std::string();
        }
        return " is not a content type (" + comma_list(taxonomy.content_types(), json_quoted) + ")";
    });
}

ScriptedError read_error(const json& error, const std::string& where) {
    if (!error.is_object()) {
        fail(where, "must be an object {\"Code\", \"Message\"}");
    }
    only_members(error, where, std::array<std::string_view, 2>{"Code", "Message"});
    if (!error.contains("Code")) {
        fail(where, "has no Code");
    }
    ScriptedError out;
    out.code = string_member(error["Code"], where + ".Code", kMaxCode, false);
    for (const char c : out.code) {
        if (c <= ' ' || c > '~' || c == '"' || c == '\\') {
            fail(where + ".Code", "must be printable ASCII without spaces or quotes");
        }
    }
    out.message = error.contains("Message")
                      ? string_member(error["Message"], where + ".Message", kMaxMessage, true)
                      : "Scripted by a moderation rule.";
    return out;
}

ModerationRule read_rule(const json& value, const std::string& where,
                         const ModerationTaxonomy& taxonomy) {
    if (!value.is_object()) {
        fail(where, "must be an object");
    }
    only_members(
        value, where,
        std::array<std::string_view, 8>{"SourceRef", "SourceRefPrefix", "SourceRefGlob", "JobName",
                                        "ProjectVersion", "Labels", "ContentTypes", "Error"});
    ModerationRule rule;
    const std::array<std::pair<const char*, SourceMatch::Kind>, 3> kinds{
        {{"SourceRef", SourceMatch::Kind::Exact},
         {"SourceRefPrefix", SourceMatch::Kind::Prefix},
         {"SourceRefGlob", SourceMatch::Kind::Glob}}};
    for (const auto& [member, kind] : kinds) {
        if (!value.contains(member)) {
            continue;
        }
        if (rule.source.kind != SourceMatch::Kind::Any) {
            fail(where, "gives more than one of SourceRef, SourceRefPrefix and SourceRefGlob");
        }
        rule.source = SourceMatch{
            kind, string_member(value[member], where + "." + member, kMaxPattern, false)};
    }
    if (value.contains("JobName")) {
        rule.job_name = string_member(value["JobName"], where + ".JobName", kMaxPattern, false);
    }
    if (value.contains("ProjectVersion")) {
        rule.project_version =
            string_member(value["ProjectVersion"], where + ".ProjectVersion", kMaxPattern, false);
    }
    if (value.contains("Labels")) {
        rule.script.labels = read_labels(value["Labels"], where + ".Labels", taxonomy);
    }
    if (value.contains("ContentTypes")) {
        rule.script.content_types =
            read_content_types(value["ContentTypes"], where + ".ContentTypes", taxonomy);
    }
    if (value.contains("Error")) {
        if (value.contains("Labels") || value.contains("ContentTypes")) {
            fail(where,
                 "gives an Error with Labels or ContentTypes (an image with an error has "
                 "no results line)");
        }
        rule.script.error = read_error(value["Error"], where + ".Error");
    }
    return rule;
}

ordered_json named_confidence(const std::string& name, double confidence) {
    return ordered_json{{"Name", name}, {"Confidence", confidence}};
}

}  // namespace

ModerationRules parse_moderation_rules(const json& rules, const ModerationTaxonomy& taxonomy) {
    if (!rules.is_array()) {
        fail("ModerationRules", "must be an array of rules");
    }
    if (rules.size() > kMaxRules) {
        fail("ModerationRules", "has " + std::to_string(rules.size()) + " rules; at most " +
                                    std::to_string(kMaxRules) + " are allowed");
    }
    ModerationRules out;
    out.rules.reserve(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        out.rules.push_back(
            read_rule(rules[i], "ModerationRules[" + std::to_string(i) + "]", taxonomy));
    }
    return out;
}

ordered_json rules_to_json(const ModerationRules& rules) {
    ordered_json out = ordered_json::array();
    for (const auto& rule : rules.rules) {
        ordered_json item = ordered_json::object();
        switch (rule.source.kind) {
            case SourceMatch::Kind::Any:
                break;
            case SourceMatch::Kind::Exact:
                item["SourceRef"] = rule.source.pattern;
                break;
            case SourceMatch::Kind::Prefix:
                item["SourceRefPrefix"] = rule.source.pattern;
                break;
            case SourceMatch::Kind::Glob:
                item["SourceRefGlob"] = rule.source.pattern;
                break;
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
    return rekmock::json::to_text(rules_to_json(rules));
}

ModerationRules thaw_rules(std::string_view frozen, const ModerationTaxonomy& taxonomy) {
    try {
        return parse_moderation_rules(json::parse(frozen), taxonomy);
    } catch (const json::exception& e) {
        throw RulesError(e.what());
    }
}

RulesDocument parse_rules_document(std::string_view text, const ModerationTaxonomy& taxonomy) {
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        throw RulesError("not valid JSON");
    }
    if (!doc.is_object()) {
        throw RulesError("expected {\"ModerationRules\": [...]} (an object)");
    }
    only_members(doc, "the document",
                 std::array<std::string_view, 3>{"AccountId", "Region", "ModerationRules"});
    if (!doc.contains("ModerationRules")) {
        throw RulesError("expected {\"ModerationRules\": [...]}: it has no ModerationRules");
    }
    RulesDocument out;
    if (doc.contains("AccountId")) {
        out.account = string_member(doc["AccountId"], "AccountId", 64, true);
    }
    if (doc.contains("Region")) {
        out.region = string_member(doc["Region"], "Region", 64, true);
    }
    out.rules = parse_moderation_rules(doc["ModerationRules"], taxonomy);
    return out;
}

}  // namespace rekmock::moderation
