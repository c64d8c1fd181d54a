#include "start_violations.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace rekmock::conformance {
namespace {

using nlohmann::json;

// A value of `length` characters that matches the member's pattern, if one can.
using ValueOfLength = std::optional<std::string> (*)(std::size_t length);

// A string member of StartMediaAnalysisJobRequest and its constraints in service-2.json.
struct StringMember {
    std::string_view pointer;  // "/Input/S3Object/Bucket"
    std::size_t min;
    std::size_t max;
    std::string_view pattern;          // as the model writes it (what outside_pattern breaks)
    std::string_view outside_pattern;  // a value within the lengths that breaks the pattern
    ValueOfLength of_length;
};

std::optional<std::string> letters(std::size_t length) {
    return std::string(length, 'a');
}

// Patterns that need at least one character.
std::optional<std::string> some_letters(std::size_t length) {
    return length == 0 ? std::nullopt : letters(length);
}

// ^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/version\/
// [a-zA-Z0-9_.\-]{1,255}\/[0-9]+$, made as long as asked by the version number's digits.
std::optional<std::string> project_version_arn(std::size_t length) {
    std::string arn = "arn:aws:rekognition:us-east-1:111122223333:project/conformance/version/v/";
    if (length <= arn.size()) {
        return std::nullopt;
    }
    arn.append(length - arn.size(), '1');
    return arn;
}

constexpr std::string_view kJobNamePattern = "[a-zA-Z0-9_.\\-]+";
constexpr std::string_view kBucketPattern = "[0-9A-Za-z\\.\\-_]*";

const std::array<StringMember, 9> kStringMembers{{
    {"/ClientRequestToken", 1, 64, "^[a-zA-Z0-9-_]+$", "conformance token", some_letters},
    {"/JobName", 1, 64, kJobNamePattern, "conformance job", some_letters},
    {"/OperationsConfig/DetectModerationLabels/ProjectVersion", 20, 2048,
     "(^arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project\\/[a-zA-Z0-9_.\\-]{1,255}\\/"
     "version\\/[a-zA-Z0-9_.\\-]{1,255}\\/[0-9]+$)",
     "arn:aws:rekognition:us-east-1:111122223333:model/conformance", project_version_arn},
    {"/Input/S3Object/Bucket", 3, 255, kBucketPattern, "conformance bucket", letters},
    {"/Input/S3Object/Name", 1, 1024, "", "", letters},
    {"/Input/S3Object/Version", 1, 1024, "", "", letters},
    {"/OutputConfig/S3Bucket", 3, 255, kBucketPattern, "conformance bucket", letters},
    {"/OutputConfig/S3KeyPrefix", 0, 800, "\\S*", "conformance prefix", letters},
    {"/KmsKeyId", 1, 2048, "^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$", "-conformance-key",
     some_letters},
}};

// The float members and their inclusive range.
struct NumberMember {
    std::string_view pointer;
    double min;
    double max;
};
const std::array<NumberMember, 1> kNumberMembers{{
    {"/OperationsConfig/DetectModerationLabels/MinConfidence", 0, 100},
}};

// The structure's required members, and those of the structures they name.
const std::array<std::string_view, 5> kRequiredMembers{
    "/OperationsConfig", "/Input", "/OutputConfig", "/Input/S3Object", "/OutputConfig/S3Bucket"};

// Members given a JSON type no deserializer can coerce into theirs (a numeric string would do for
// a number, and a number for a string: an endpoint could accept those and start a job).
struct WrongType {
    std::string_view pointer;
    std::string_view expected;
    const char* value;  // JSON text
};
const std::array<WrongType, 2> kWrongTypes{{
    {"/OperationsConfig", "an object", R"("DetectModerationLabels")"},
    {"/OperationsConfig/DetectModerationLabels/MinConfidence", "a number", R"("high")"},
}};

// "/Input/S3Object/Bucket" -> "Input.S3Object.Bucket"
std::string dotted(std::string_view pointer) {
    std::string name(pointer.substr(1));
    std::replace(name.begin(), name.end(), '/', '.');
    return name;
}

StartViolation with_value(std::string name, std::string_view pointer, json value) {
    json request = harmless_start_request();
    request[json::json_pointer(std::string(pointer))] = std::move(value);
    return {std::move(name), dotted(pointer), std::move(request)};
}

StartViolation without(std::string_view pointer) {
    json request = harmless_start_request();
    const json::json_pointer path{std::string(pointer)};
    request[path.parent_pointer()].erase(path.back());
    return {"without " + dotted(pointer) + " (required)", dotted(pointer), std::move(request)};
}

std::string characters(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " character" : " characters");
}

std::string number_text(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.ends_with('.')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

json harmless_start_request() {
    return json{
        {"ClientRequestToken", "rekognition-mock-conformance-refused"},
        {"JobName", "rekognition-mock-conformance"},
        {"OperationsConfig", {{"DetectModerationLabels", {{"MinConfidence", 50}}}}},
        {"Input",
         {{"S3Object",
           {{"Bucket", "Rekognition_Mock_Conformance"}, {"Name", "refused/manifest.jsonl"}}}}},
        {"OutputConfig",
         {{"S3Bucket", "Rekognition_Mock_Conformance"}, {"S3KeyPrefix", "refused"}}}};
}

std::vector<StartViolation> start_violations() {
    std::vector<StartViolation> violations;
    for (const std::string_view pointer : kRequiredMembers) {
        violations.push_back(without(pointer));
    }
    for (const StringMember& member : kStringMembers) {
        const std::string name = dotted(member.pointer);
        if (member.min > 0) {
            if (auto value = member.of_length(member.min - 1)) {
                violations.push_back(with_value(name + " of " + characters(member.min - 1) +
                                                    " (at least " + std::to_string(member.min) +
                                                    ")",
                                                member.pointer, std::move(*value)));
            }
        }
        if (auto value = member.of_length(member.max + 1)) {
            violations.push_back(with_value(name + " of " + characters(member.max + 1) +
                                                " (at most " + std::to_string(member.max) + ")",
                                            member.pointer, std::move(*value)));
        }
        if (!member.pattern.empty()) {
            violations.push_back(with_value(name + " outside its pattern", member.pointer,
                                            std::string(member.outside_pattern)));
        }
    }
    for (const NumberMember& member : kNumberMembers) {
        const std::string name = dotted(member.pointer);
        violations.push_back(with_value(name + " " + number_text(member.min - 1) + " (at least " +
                                            number_text(member.min) + ")",
                                        member.pointer, member.min - 1));
        violations.push_back(with_value(
            name + " " + number_text(member.max + 1) + " (at most " + number_text(member.max) + ")",
            member.pointer, member.max + 1));
    }
    for (const WrongType& member : kWrongTypes) {
        violations.push_back(with_value(
            dotted(member.pointer) + " " + member.value + ", not " + std::string(member.expected),
            member.pointer, json::parse(member.value)));
    }
    return violations;
}

}  // namespace rekmock::conformance
