#include "control_endpoints.hpp"

namespace rekmock::control {

// What a scope used since the start or its last reset: the images bulk analysis processed (what
// AWS bills), the lines summaries refused, the API calls per operation, and the same per job.
Reply usage(ControlState& state, const ControlRequest& request) {
    const Scope scope = query_scope(state, request);
    const service::ScopeUsage used = state.control.usage(scope);
    OJson calls = OJson::object();
    for (const auto& [operation, count] : used.calls) {
        calls[operation] = OJson{{"Calls", count.calls}, {"Errors", count.errors}};
    }
    OJson jobs = OJson::array();
    for (const auto& job : used.jobs) {
        jobs.push_back(OJson{{"JobId", job.job_id},
                             {"ImagesProcessed", job.images_processed},
                             {"LinesRefused", job.lines_refused}});
    }
    return reply(OJson{{"AccountId", scope.account},
                       {"Region", scope.region},
                       {"ImagesProcessed", used.images_processed},
                       {"LinesRefused", used.lines_refused},
                       {"ApiCalls", std::move(calls)},
                       {"Jobs", std::move(jobs)}});
}

}  // namespace rekmock::control
