#include "operations.hpp"

#include <array>
#include <utility>

#include "job_description_json.hpp"
#include "json_writer.hpp"

namespace rekmock::protocol {
namespace {

void write_page(json::JsonWriter& out, const EncodedPage& page) {
    out.begin_object();
    out.begin_array("MediaAnalysisJobs");
    for (const auto& job : page.jobs) {
        out.raw_value(*job);
    }
    out.end_array();
    out.member("NextToken", page.next_token);
    out.end_object();
}

std::string list_media_analysis_jobs(OperationContext& context, const Json& body,
                                     const Scope& caller) {
    service::ListMediaAnalysisJobsRequest request;
    request.caller = caller;
    const auto members = request_members(body);
    request.next_token = members.string("NextToken");
    request.max_results = optional_integer(members, "MaxResults");
    // Read before the service reads anything, so nothing kept under it outlives a later write.
    const auto version = context.service.store_version();
    EncodedAnswers* answers = context.answers;
    std::string text;
    json::JsonWriter out(text);
    // Keyed by the request as sent: a page asked for again skips even the token's decryption.
    const std::string key =
        EncodedPageCache::key(caller, request.next_token.value_or(""), request.max_results);
    if (answers != nullptr) {
        if (const auto page = answers->pages.find(key, version)) {
            std::size_t bytes = 256;
            for (const auto& job : page->jobs) {
                bytes += job->size() + 1;
            }
            text.reserve(bytes);  // one allocation
            write_page(out, *page);
            return text;
        }
    }
    auto listed = context.service.list_media_analysis_jobs(request);
    const bool keep = answers != nullptr && listed.settled;
    EncodedPage page;
    page.jobs.reserve(listed.media_analysis_jobs.size());
    for (const auto& job : listed.media_analysis_jobs) {
        EncodedJob encoded =
            keep ? answers->jobs.find(caller, job.job_id, version.revision) : nullptr;
        if (!encoded) {
            encoded = std::make_shared<const std::string>(encode_job_description(job));
            if (keep) {
                answers->jobs.remember(caller, job.job_id, version.revision, encoded);
            }
        }
        page.jobs.push_back(std::move(encoded));
    }
    page.next_token = std::move(listed.next_token);
    write_page(out, page);
    if (keep) {
        answers->pages.remember(key, version, std::move(page));
    }
    return text;
}

std::string get_media_analysis_job(OperationContext& context, const Json& body,
                                   const Scope& caller) {
    service::GetMediaAnalysisJobRequest request;
    request.caller = caller;
    request.job_id = request_members(body).required_string("JobId");
    const std::uint64_t revision = context.service.store_version().revision;
    EncodedAnswers* answers = context.answers;
    // Only stored (so valid) JobIds are kept: a malformed one misses, then is refused.
    if (answers != nullptr) {
        if (const auto encoded = answers->jobs.find(caller, request.job_id, revision)) {
            return *encoded;
        }
    }
    const auto answer = context.service.get_media_analysis_job(request);
    std::string text = encode_job_description(answer.job);
    if (answers != nullptr && answer.settled) {
        answers->jobs.remember(caller, request.job_id, revision,
                               std::make_shared<const std::string>(text));
    }
    return text;
}

std::string start_media_analysis_job(OperationContext& context, const Json& body,
                                     const Scope& caller) {
    service::StartMediaAnalysisJobRequest request;
    request.caller = caller;
    request.client_request_token = request_members(body).string("ClientRequestToken");
    request.job = decode_start_settings(body);
    std::string text;
    json::JsonWriter out(text);
    out.begin_object();
    out.member("JobId", context.service.start_media_analysis_job(request).job_id);
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

std::vector<std::string_view> operation_names() {
    std::vector<std::string_view> names;
    for (const auto& entry : kOperations) {
        names.push_back(entry.first);
    }
    return names;
}

}  // namespace rekmock::protocol
