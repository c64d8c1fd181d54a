#pragma once

// Typed reads of a JSON object's members, for every layer that reads JSON: the API's requests,
// the control plane's bodies, the moderation rules, the taxonomy. A member that is missing or of
// the wrong JSON type is one error, MemberError, naming the member by its path
// ("Input.S3Object.Bucket", "ModerationRules[2].Labels[0].Name"); each layer words it for its
// callers in one place, the Policy its readers carry.

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rekmock::json {

using Json = nlohmann::json;

enum class Fault { Missing, WrongType };

struct MemberError : std::runtime_error {
    MemberError(Fault kind, std::string owner_path, std::string member_name,
                std::string_view wanted, std::string_view found_type);

    Fault fault;
    std::string owner;     // the object or array holding it: "" at the top, "Input.S3Object"
    std::string name;      // "Bucket", or "[2]" for an array's element
    std::string path;      // the two joined: "Input.S3Object.Bucket", "ModerationRules[2]"
    std::string expected;  // what the read wanted: "a string"
    std::string found;     // the JSON type there was: "an integer" ("" when missing)
};

// Which null members count as absent; the others are of the wrong type.
enum class Nulls {
    Absent,                   // all of them (AWS's rule)
    AbsentStringsAndNumbers,  // those read as a string or a number
    Refused,                  // none
};

// How a layer reads: its nulls, and `refuse`, which throws the layer's own error for a
// MemberError (when it is null, the MemberError itself is thrown).
struct Policy {
    Nulls nulls;
    void (*refuse)(const MemberError& error);
};

// "a string", "an integer", "a number with a fraction or exponent", "null", ...
std::string_view type_name(const Json& value);

// `object`'s member `name` if it is a string; std::nullopt otherwise (absent, of another type,
// or `object` no object): for reading answers leniently, where no error is owed.
std::optional<std::string> string_member(const Json& object, std::string_view name);

class Elements;

// The members of one JSON object, each read type-checked.
class Members {
  public:
    // `object` must be a JSON object; its members are named `prefix` + name ("" at the top level,
    // "Input.S3Object." below it).
    Members(const Json& object, const Policy& policy, std::string prefix = {})
        : object_(&object), policy_(&policy), prefix_(std::move(prefix)) {}

    const Json& json() const noexcept { return *object_; }
    // The object's own path ("" at the top level) and a member's.
    std::string path() const;
    std::string path_of(std::string_view name) const { return prefix_ + std::string(name); }

    // Member `name`; nullptr when absent (or null, where every null counts as absent).
    const Json* find(std::string_view name) const;
    // The same, for a member that must be there.
    const Json& required(std::string_view name) const;

    // Absent: std::nullopt. Present, it must be of the type, else a WrongType wanting `what`.
    std::optional<std::string> string(std::string_view name,
                                      std::string_view what = "a string") const;
    std::optional<double> number(std::string_view name, std::string_view what = "a number") const;
    std::optional<bool> boolean(std::string_view name) const;
    std::optional<Members> object(std::string_view name, std::string_view what = "an object") const;
    std::optional<Elements> array(std::string_view name, std::string_view what = "an array") const;
    std::string required_string(std::string_view name) const;
    Members required_object(std::string_view name) const;

    // Throws the policy's error for member `name`, which was `found` (nullptr: missing).
    [[noreturn]] void refuse(std::string_view name, Fault fault, std::string_view expected,
                             const Json* found) const;

  private:
    // Member `name`; nullptr when absent or a null that counts as absent for a member read as
    // a string or number (`string_or_number`) or as anything else.
    const Json* present(std::string_view name, bool string_or_number) const;
    // The same, and it must be of the type `is_type` tests.
    const Json* typed(std::string_view name, bool (Json::*is_type)() const noexcept,
                      std::string_view what, bool string_or_number) const;

    const Json* object_;
    const Policy* policy_;
    std::string prefix_;
};

// The elements of one JSON array, named path[i].
class Elements {
  public:
    // `array` named `path`: a WrongType wanting `what` unless it is an array.
    Elements(const Json& array, const Policy& policy, std::string path,
             std::string_view what = "an array");

    std::size_t size() const noexcept { return array_->size(); }
    // Element `index`, a WrongType wanting `what` unless it is an object.
    Members object(std::size_t index, std::string_view what = "an object") const;

  private:
    const Json* array_;
    const Policy* policy_;
    std::string path_;
};

}  // namespace rekmock::json
