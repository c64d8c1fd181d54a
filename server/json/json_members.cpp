#include "json_members.hpp"

namespace rekmock::json {
namespace {

std::string joined(const std::string& owner, const std::string& name) {
    return owner.empty() || name.starts_with('[') ? owner + name : owner + "." + name;
}

[[noreturn]] void refuse(const Policy& policy, const MemberError& error) {
    if (policy.refuse != nullptr) {
        policy.refuse(error);
    }
    throw error;
}

}  // namespace

MemberError::MemberError(Fault kind, std::string owner_path, std::string member_name,
                         std::string_view wanted, std::string_view found_type)
    : std::runtime_error(
          joined(owner_path, member_name) +
          (kind == Fault::Missing ? " is missing" : " must be " + std::string(wanted))),
      fault(kind),
      owner(std::move(owner_path)),
      name(std::move(member_name)),
      path(joined(owner, name)),
      expected(wanted),
      found(found_type) {}

std::optional<std::string> string_member(const Json& object, std::string_view name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? std::optional(found->get<std::string>())
                                                       : std::nullopt;
}

std::string_view type_name(const Json& value) {
    switch (value.type()) {
        case Json::value_t::string:
            return "a string";
        case Json::value_t::boolean:
            return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return "an integer";
        case Json::value_t::number_float:
            return "a number with a fraction or exponent";
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        default:
            return "null";
    }
}

std::string Members::path() const {
    return prefix_.empty() ? prefix_ : prefix_.substr(0, prefix_.size() - 1);
}

const Json* Members::find(std::string_view name) const {
    return present(name, false);
}

const Json* Members::present(std::string_view name, bool string_or_number) const {
    const auto it = object_->find(name);
    if (it == object_->end()) {
        return nullptr;
    }
    const bool null_is_absent =
        policy_->nulls == Nulls::Absent ||
        (policy_->nulls == Nulls::AbsentStringsAndNumbers && string_or_number);
    return it->is_null() && null_is_absent ? nullptr : &*it;
}

const Json& Members::required(std::string_view name) const {
    const Json* value = find(name);
    if (value == nullptr) {
        refuse(name, Fault::Missing, "", nullptr);
    }
    return *value;
}

void Members::refuse(std::string_view name, Fault fault, std::string_view expected,
                     const Json* found) const {
    json::refuse(*policy_, MemberError(fault, path(), std::string(name), expected,
                                       found != nullptr ? type_name(*found) : ""));
}

const Json* Members::typed(std::string_view name, bool (Json::*is_type)() const noexcept,
                           std::string_view what, bool string_or_number) const {
    const Json* value = present(name, string_or_number);
    if (value != nullptr && !(value->*is_type)()) {
        refuse(name, Fault::WrongType, what, value);
    }
    return value;
}

std::optional<std::string> Members::string(std::string_view name, std::string_view what) const {
    const Json* value = typed(name, &Json::is_string, what, true);
    return value != nullptr ? std::optional(value->get<std::string>()) : std::nullopt;
}

std::optional<double> Members::number(std::string_view name, std::string_view what) const {
    const Json* value = typed(name, &Json::is_number, what, true);
    return value != nullptr ? std::optional(value->get<double>()) : std::nullopt;
}

std::optional<bool> Members::boolean(std::string_view name) const {
    const Json* value = typed(name, &Json::is_boolean, "true or false", false);
    return value != nullptr ? std::optional(value->get<bool>()) : std::nullopt;
}

std::optional<Members> Members::object(std::string_view name, std::string_view what) const {
    const Json* value = typed(name, &Json::is_object, what, false);
    return value != nullptr ? std::optional(Members(*value, *policy_, path_of(name) + "."))
                            : std::nullopt;
}

std::optional<Elements> Members::array(std::string_view name, std::string_view what) const {
    const Json* value = typed(name, &Json::is_array, what, false);
    return value != nullptr ? std::optional(Elements(*value, *policy_, path_of(name), what))
                            : std::nullopt;
}

std::string Members::required_string(std::string_view name) const {
    auto value = string(name);
    if (!value) {
        refuse(name, Fault::Missing, "a string", nullptr);
    }
    return std::move(*value);
}

Members Members::required_object(std::string_view name) const {
    auto value = object(name);
    if (!value) {
        refuse(name, Fault::Missing, "an object", nullptr);
    }
    return std::move(*value);
}

Elements::Elements(const Json& array, const Policy& policy, std::string path, std::string_view what)
    : array_(&array), policy_(&policy), path_(std::move(path)) {
    if (!array.is_array()) {
        refuse(policy, MemberError(Fault::WrongType, "", path_, what, type_name(array)));
    }
}

Members Elements::object(std::size_t index, std::string_view what) const {
    const std::string name = "[" + std::to_string(index) + "]";
    const Json& element = (*array_)[index];
    if (!element.is_object()) {
        refuse(*policy_, MemberError(Fault::WrongType, path_, name, what, type_name(element)));
    }
    return Members(element, *policy_, path_ + name + ".");
}

}  // namespace rekmock::json
