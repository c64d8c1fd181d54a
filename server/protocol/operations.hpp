#pragma once

// Per-operation JSON decode -> service call -> JSON encode. One function per operation, named
// after it; the router looks them up by the X-Amz-Target operation name.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "encoded_job_cache.hpp"
#include "encoded_page_cache.hpp"
#include "media_analysis_service.hpp"
#include "request_members.hpp"

namespace rekmock::protocol {

// The wire form of settled jobs and pages, kept between requests (see encoded_*_cache.hpp).
struct EncodedAnswers {
    EncodedJobCache jobs{std::size_t{32} << 20};
    // Pages hold references to the jobs' encodings, not copies: 256 pages cost a few MB at most
    // beyond the jobs', and keep a whole walk of 25,000 jobs (100 a page) remembered.
    EncodedPageCache pages{256};
};

// What an operation runs against: the service, and the encoded answers (null: none are kept).
struct OperationContext {
    service::MediaAnalysisService& service;
    EncodedAnswers* answers = nullptr;
};

// Decodes `body`, runs the operation for `caller`'s scope, returns the encoded output.
using OperationFn = std::string (*)(OperationContext&, const Json& body, const Scope& caller);

// The function serving `operation` ("ListMediaAnalysisJobs"), or nullptr if there is none.
OperationFn find_operation(std::string_view operation) noexcept;

// The name of every operation served, in name order.
std::vector<std::string_view> operation_names();

}  // namespace rekmock::protocol
