#include "compared_answer.hpp"

#include <boost/algorithm/string/replace.hpp>
#include <string_view>

#include "json_members.hpp"

namespace rekmock::conformance {
namespace {

using nlohmann::json;
using rekmock::json::string_member;

// `value`, a member named `name` of an object that is an S3Object when `in_s3_object`, with
// `job_id` (the enclosing job's, "" when none) replaced in its strings.
json normalised(const json& value, std::string_view name, bool in_s3_object,
                const std::string& job_id) {
    if (value.is_string()) {
        for (const auto& [member, stand_in] :
             {std::pair{"JobId", "<JobId>"}, std::pair{"NextToken", "<token>"},
              std::pair{"Message", "<message>"}, std::pair{"message", "<message>"},
              std::pair{"Logref", "<logref>"}}) {
            if (name == member) {
                return stand_in;
            }
        }
        if (name.ends_with("Timestamp")) {
            return "<timestamp>";
        }
        if (in_s3_object && name == "Version") {
            return "<version>";
        }
        std::string text = value.get<std::string>();
        if (!job_id.empty()) {
            boost::algorithm::replace_all(text, job_id, "<JobId>");
        }
        return text;
    }
    if (value.is_number() && name.ends_with("Timestamp")) {
        return 0;
    }
    if (value.is_array()) {
        json out = json::array();
        for (const json& element : value) {
            out.push_back(normalised(element, {}, false, job_id));
        }
        return out;
    }
    if (!value.is_object()) {
        return value;
    }
    // A job's own id is the one its other members may repeat (its results' names).
    const std::string own_id = string_member(value, "JobId").value_or(job_id);
    json out = json::object();
    for (const auto& [member, inner] : value.items()) {
        out[member] = normalised(inner, member, name == "S3Object", own_id);
    }
    return out;
}

}  // namespace

json normalised_body(const json& body) {
    return normalised(body, {}, false, std::string());
}

json compared_answer(const aws::AwsResponse& response, BodyView view) {
    json compared = json::object();
    if (response.status == 0) {
        compared["HTTP status"] = "no answer";
        return compared;
    }
    compared["HTTP status"] = response.status;
    if (const std::string type = response.header("Content-Type"); !type.empty()) {
        compared["Content-Type"] = type;
    }
    if (!response.header("x-amzn-RequestId").empty()) {
        compared["x-amzn-RequestId"] = "present";
    }
    if (response.body.empty()) {
        compared["body"] = "<empty>";
        return compared;
    }
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_discarded()) {
        compared["body"] = "<not JSON: " + std::to_string(response.body.size()) + " bytes>";
        return compared;
    }
    const bool success = response.succeeded();
    compared["body"] = success && view == BodyView::Shape ? shape_of(normalised_body(body))
                                                          : normalised_body(body);
    return compared;
}

std::string error_type(const json& compared) {
    const auto body = compared.find("body");
    return body == compared.end() ? std::string() : string_member(*body, "__type").value_or("");
}

Comparison compare_answers(const json& reference, const json& candidate, const DiffRules& rules) {
    Comparison out;
    const json& ours = reference.at("HTTP status");
    const json& theirs = candidate.at("HTTP status");
    if (ours == theirs) {
        diff(reference, candidate, {}, rules, out);
        return out;
    }
    const auto status = [](const json& answer) {
        const std::string type = error_type(answer);
        return shown(&answer.at("HTTP status")) + (type.empty() ? "" : " " + type);
    };
    out.differences.push_back({"HTTP status", status(reference), status(candidate)});
    if (!ours.is_number() || !theirs.is_number()) {
        return out;  // no answer: no headers to compare
    }
    json headers_of_reference = reference;
    json headers_of_candidate = candidate;
    for (json* headers : {&headers_of_reference, &headers_of_candidate}) {
        headers->erase("HTTP status");
        headers->erase("body");
    }
    diff(headers_of_reference, headers_of_candidate, {}, {}, out);
    return out;
}

}  // namespace rekmock::conformance
