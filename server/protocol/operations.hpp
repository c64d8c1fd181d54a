#pragma once

// Per-operation JSON decode -> service call -> JSON encode. One function per operation, named
// after it; the router looks them up by the X-Amz-Target operation name.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "json_members.hpp"
#include "media_analysis_service.hpp"

namespace rekmock::protocol {

// Decodes `body`, runs the operation for `caller`'s scope, returns the encoded output.
using OperationFn = std::string (*)(service::MediaAnalysisService&, const Json& body,
                                    const Scope& caller);

// The function serving `operation` ("ListMediaAnalysisJobs"), or nullptr if there is none.
OperationFn find_operation(std::string_view operation) noexcept;

}  // namespace rekmock::protocol
