#include "operations.hpp"

#include <array>
#include <utility>

#include "job_description_json.hpp"

namespace rekmock::protocol {
namespace {

using OJson = nlohmann::ordered_json;

OJson list_media_analysis_jobs(service::MediaAnalysisService& service, const Json& body,
                               const Scope& caller) {
    service::ListMediaAnalysisJobsRequest request;
    request.caller = caller;
    request.next_token = optional_string(body, "NextToken", "");
    request.max_results = optional_integer(body, "MaxResults", "");

    const auto response = service.list_media_analysis_jobs(request);
    OJson out = OJson::object();
    OJson jobs = OJson::array();
    for (const auto& job : response.media_analysis_jobs) {
        jobs.push_back(encode_job_description(job));
    }
    out["MediaAnalysisJobs"] = std::move(jobs);
    if (response.next_token) {
        out["NextToken"] = *response.next_token;
    }
    return out;
}

OJson get_media_analysis_job(service::MediaAnalysisService& service, const Json& body,
                             const Scope& caller) {
    service::GetMediaAnalysisJobRequest request;
    request.caller = caller;
    request.job_id = required_string(body, "JobId", "");
    return encode_job_description(service.get_media_analysis_job(request));
}

OJson start_media_analysis_job(service::MediaAnalysisService& service, const Json& body,
                               const Scope& caller) {
    service::StartMediaAnalysisJobRequest request;
    request.caller = caller;
    request.client_request_token = optional_string(body, "ClientRequestToken", "");
    request.job = decode_start_settings(body);
    OJson out = OJson::object();
    out["JobId"] = service.start_media_analysis_job(request).job_id;
    return out;
}

constexpr std::array kOperations{
    std::pair<std::string_view, OperationFn>{"GetMediaAnalysisJob", &get_media_analysis_job},
    std::pair<std::string_view, OperationFn>{"ListMediaAnalysisJobs", &list_media_analysis_jobs},
    std::pair<std::string_view, OperationFn>{"StartMediaAnalysisJob", &start_media_analysis_job},
};

}  // namespace

OperationFn find_operation(std::string_view operation) noexcept {
    for (const auto& [name, fn] : kOperations) {
        if (name == operation) {
            return fn;
        }
    }
    return nullptr;
}

}  // namespace rekmock::protocol
