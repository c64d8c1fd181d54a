#include "job_members.hpp"

#include <algorithm>
#include <array>

namespace rekmock::conformance {
namespace {

// MediaAnalysisJobDescription in service-2.json: all but JobId, OperationsConfig, Status,
// CreationTimestamp, Input, Input.S3Object, OutputConfig and OutputConfig.S3Bucket is optional,
// and so is every member of the structures below an optional member.
constexpr std::array<std::string_view, 11> kOptionalRoots{"JobName",
                                                          "OperationsConfig.DetectModerationLabels",
                                                          "FailureDetails",
                                                          "CompletionTimestamp",
                                                          "Input.S3Object.Bucket",
                                                          "Input.S3Object.Name",
                                                          "Input.S3Object.Version",
                                                          "OutputConfig.S3KeyPrefix",
                                                          "KmsKeyId",
                                                          "Results",
                                                          "ManifestSummary"};

bool at_or_below(std::string_view path, std::string_view root) {
    return path == root ||
           (path.starts_with(root) && path.size() > root.size() && path[root.size()] == '.');
}

// Whether `path` is `prefix` + "." + something (any path when `prefix` is empty); `rest` is then
// the something.
bool relative(std::string_view path, std::string_view prefix, std::string_view& rest) {
    if (prefix.empty()) {
        rest = path;
        return true;
    }
    if (!path.starts_with(prefix) || path.size() <= prefix.size() || path[prefix.size()] != '.') {
        return false;
    }
    rest = path.substr(prefix.size() + 1);
    return true;
}

}  // namespace

bool is_optional_job_member(std::string_view path) {
    return std::any_of(kOptionalRoots.begin(), kOptionalRoots.end(),
                       [path](std::string_view root) { return at_or_below(path, root); });
}

bool is_setup_dependent_job_member(std::string_view path) {
    return path.ends_with("S3Object.Version");
}

DiffRules optional_job_members(std::string prefix) {
    return {[prefix = std::move(prefix)](const std::string& path) {
        std::string_view rest;
        return relative(path, prefix, rest) && is_optional_job_member(rest);
    }};
}

DiffRules setup_dependent_job_members(std::string prefix) {
    return {[prefix = std::move(prefix)](const std::string& path) {
        std::string_view rest;
        return relative(path, prefix, rest) && is_setup_dependent_job_member(rest);
    }};
}

}  // namespace rekmock::conformance
