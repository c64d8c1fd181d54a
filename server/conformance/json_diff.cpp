#include "json_diff.hpp"

#include <algorithm>
#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/join.hpp>
#include <boost/algorithm/string/split.hpp>
#include <set>
#include <vector>

namespace rekmock::conformance {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxShown = 300;

std::string member_path(const std::string& path, const std::string& member) {
    return path.empty() ? member : path + "." + member;
}

// "number|string": the names of a merged scalar, sorted, each once.
std::string joined_types(const std::string& a, const std::string& b) {
    std::vector<std::string> names;
    boost::algorithm::split(names, a + "|" + b, boost::algorithm::is_any_of("|"));
    return boost::algorithm::join(std::set<std::string>(names.begin(), names.end()), "|");
}

// The name a shape gives its own type: a scalar shape is its type name already.
std::string shape_type(const json& shape) {
    return shape.is_string() ? shape.get<std::string>() : shape.type_name();
}

}  // namespace

json shape_of(const json& value) {
    if (value.is_object()) {
        json shape = json::object();
        for (const auto& [name, member] : value.items()) {
            shape[name] = shape_of(member);
        }
        return shape;
    }
    if (value.is_array()) {
        if (value.empty()) {
            return json::array();
        }
        json merged = shape_of(value.front());
        for (std::size_t i = 1; i < value.size(); ++i) {
            merged = merge_shapes(merged, shape_of(value[i]));
        }
        return json::array({merged});
    }
    return value.type_name();
}

json merge_shapes(const json& a, const json& b) {
    if (a.is_object() && b.is_object()) {
        json merged = a;
        for (const auto& [name, member] : b.items()) {
            const auto mine = merged.find(name);
            merged[name] = mine == merged.end() ? member : merge_shapes(*mine, member);
        }
        return merged;
    }
    if (a.is_array() && b.is_array()) {
        if (a.empty() || b.empty()) {
            return a.empty() ? b : a;
        }
        return json::array({merge_shapes(a.front(), b.front())});
    }
    if (a == b) {
        return a;
    }
    return joined_types(shape_type(a), shape_type(b));
}

std::string shown(const json* value) {
    if (value == nullptr) {
        return "absent";
    }
    if (value->is_string()) {
        return value->get<std::string>();
    }
    std::string text = value->dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > kMaxShown) {
        text.resize(kMaxShown);
        text += "...";
    }
    return text;
}

void diff(const json& reference, const json& candidate, const std::string& path,
          const DiffRules& rules, Comparison& out) {
    const std::string where = path.empty() ? "the answer" : path;
    if (reference.type() != candidate.type() && !(reference.is_number() && candidate.is_number())) {
        // Against a structure, a string is shown as itself: in a shape it names a type already.
        const auto named = [](const json& value, const json& other) {
            return value.is_string() && other.is_structured() ? value.get<std::string>()
                                                              : value.type_name();
        };
        out.differences.push_back(
            {where, named(reference, candidate), named(candidate, reference)});
        return;
    }
    if (reference.is_object()) {
        for (const auto& [name, member] : reference.items()) {
            const std::string at = member_path(path, name);
            if (const auto other = candidate.find(name); other != candidate.end()) {
                diff(member, *other, at, rules, out);
            } else if (rules.may_be_absent && rules.may_be_absent(at)) {
                out.notes.push_back(at + ": only in the reference's answers, not compared");
            } else {
                out.differences.push_back({at, shown(&member), "absent"});
            }
        }
        for (const auto& [name, member] : candidate.items()) {
            if (reference.contains(name)) {
                continue;
            }
            const std::string at = member_path(path, name);
            if (rules.may_be_absent && rules.may_be_absent(at)) {
                out.notes.push_back(at + ": only in the candidate's answers, not compared");
            } else {
                out.differences.push_back({at, "absent", shown(&member)});
            }
        }
        return;
    }
    if (reference.is_array()) {
        const json ours = shape_of(reference);
        const json theirs = shape_of(candidate);
        if (ours.empty() || theirs.empty()) {
            if (!ours.empty() || !theirs.empty()) {
                out.notes.push_back(where + ": empty in the " +
                                    (ours.empty() ? "reference's" : "candidate's") +
                                    " answer, its elements not compared");
            }
            return;
        }
        diff(ours.front(), theirs.front(), path + "[]", rules, out);
        return;
    }
    if (reference != candidate) {
        out.differences.push_back({where, shown(&reference), shown(&candidate)});
    }
}

}  // namespace rekmock::conformance
