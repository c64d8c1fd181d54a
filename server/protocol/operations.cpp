#include "operations.hpp"

#include <array>
#include <utility>

#include "job_description_json.hpp"
#include "json_writer.hpp"

namespace rekmock::protocol {
namespace {

// Writes a shown job: its remembered rendering, or its encoding, which the service may keep.
void write_shown_job(service::MediaAnalysisService& service, JsonWriter& out,
                     const service::ShownJob& shown) {
    if (shown.rendering) {
        out.raw_value(*shown.rendering);
        return;
    }
    std::string rendering = encode_job_description(*shown.job);
    out.raw_value(rendering);
    service.remember_rendering(shown, std::move(rendering));
}

std::string list_media_analysis_jobs(service::MediaAnalysisService& service, const Json& body,
                                     const Scope& caller) {
    service::ListMediaAnalysisJobsRequest request;
    request.caller = caller;
    request.next_token = optional_string(body, "NextToken", "");
    request.max_results = optional_integer(body, "MaxResults", "");

    const auto page = service.show_media_analysis_jobs(request);
    std::string text;
    std::size_t remembered_bytes = 0;
    for (const auto& shown : page.jobs) {
        remembered_bytes += shown.rendering ? shown.rendering->size() + 1 : 0;
    }
    text.reserve(remembered_bytes + 256);  // one allocation when the page is all remembered
    JsonWriter out(text);
    out.begin_object();
    out.key("MediaAnalysisJobs");
    out.begin_array();
    for (const auto& shown : page.jobs) {
        write_shown_job(service, out, shown);
    }
    out.end_array();
    out.member("NextToken", page.next_token);
    out.end_object();
    return text;
}

std::string get_media_analysis_job(service::MediaAnalysisService& service, const Json& body,
                                   const Scope& caller) {
    service::GetMediaAnalysisJobRequest request;
    request.caller = caller;
    request.job_id = required_string(body, "JobId", "");
    std::string text;
    JsonWriter out(text);
    write_shown_job(service, out, service.show_media_analysis_job(request));
    return text;
}

std::string start_media_analysis_job(service::MediaAnalysisService& service, const Json& body,
                                     const Scope& caller) {
    service::StartMediaAnalysisJobRequest request;
    request.caller = caller;
    request.client_request_token = optional_string(body, "ClientRequestToken", "");
    request.job = decode_start_settings(body);
    std::string text;
    JsonWriter out(text);
    out.begin_object();
    out.member("JobId", service.start_media_analysis_job(request).job_id);
    out.end_object();
    return text;
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
