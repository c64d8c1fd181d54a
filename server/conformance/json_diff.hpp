#pragma once

// The differences between two JSON documents as conformance reports them: member by member,
// with a readable path ("body.MediaAnalysisJobs[].CreationTimestamp"), each side's value or JSON
// type. Arrays are compared by the shape of their elements (the two endpoints hold different
// jobs: their lists can only agree on what a job looks like, never on which jobs they hold).

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rekmock::conformance {

// One thing the two endpoints answered differently.
struct Difference {
    std::string what;       // the path of the member, or the name of the fact
    std::string reference;  // the reference's value, its JSON type, or "absent"
    std::string candidate;
    bool operator==(const Difference&) const = default;
};

// What a comparison found: differences, and what it could not compare (notes, not failures).
struct Comparison {
    std::vector<Difference> differences;
    std::vector<std::string> notes;
};

// Which members one side may leave out when the other has them, by path: the members whose
// presence depends on data the endpoints do not share. None by default.
struct DiffRules {
    std::function<bool(const std::string& path)> may_be_absent;
};

// `value` with every scalar replaced by its JSON type name ("string", "number", "boolean",
// "null", as nlohmann names them) and every array by a one-element array
// holding the merged shape of its elements (members of any element, a member's types joined by
// '|' when elements disagree: "number|string"), or by [] when it is empty.
nlohmann::json shape_of(const nlohmann::json& value);

// The shape of two shapes together, as shape_of merges an array's elements.
nlohmann::json merge_shapes(const nlohmann::json& a, const nlohmann::json& b);

// A value as the report shows it: a string as itself, absent (null pointer) as "absent", another
// value as compact JSON (shortened past a few hundred characters).
std::string shown(const nlohmann::json* value);

// Adds to `out` each difference between `reference` and `candidate` below `path` ("" for the
// root): JSON types, members present on one side only (unless `rules` allow it: then a note),
// scalar values, and arrays by the shapes of their elements.
void diff(const nlohmann::json& reference, const nlohmann::json& candidate, const std::string& path,
          const DiffRules& rules, Comparison& out);

}  // namespace rekmock::conformance
