#include <cmath>

#include "control_endpoints.hpp"
#include "timestamp_json.hpp"

namespace rekmock::control {
Reply localstack_health(ControlState& state, const ControlRequest&) {
    return reply(OJson{{"services", {{"rekognition", "running"}}},
                       {"edition", "community"},
                       {"version", "rekognition-mock " + state.info.version}});
}

Reply mock_health(ControlState& state, const ControlRequest&) {
    OJson scopes = OJson::array();
    for (const auto& [scope, jobs] : state.control.job_counts()) {
        scopes.push_back(
            OJson{{"AccountId", scope.account}, {"Region", scope.region}, {"Jobs", jobs}});
    }
    const std::chrono::duration<double> uptime =
        std::chrono::steady_clock::now() - state.info.started;
    const auto store_problem = state.control.store_problem();
    OJson body{{"Status", store_problem ? "degraded" : "ready"}, {"Version", state.info.version}};
    body["UptimeSeconds"] = std::round(uptime.count() * 1000.0) / 1000.0;
    body["Store"] = OJson{{"Kind", state.info.store_location == ":memory:" ? "memory" : "file"},
                          {"Location", state.info.store_location}};
    if (store_problem) {
        body["Store"]["Problem"] = *store_problem;
        // As every control error reads, so the clients' exceptions say why.
        body["Error"] = "StoreFileLost";
        body["Message"] = *store_problem;
    }
    const auto& objects = state.info.object_store;
    body["ObjectStore"] = objects ? OJson{{"Kind", objects->kind}, {"Location", objects->location}}
                                  : OJson{{"Kind", "none"}};
    body["DefaultAccountId"] = state.info.default_account;
    if (state.info.job_retention_days) {
        body["JobRetentionDays"] = *state.info.job_retention_days;
    }
    body["ClockOffsetSeconds"] =
        std::chrono::duration<double>(state.control.clock().offset()).count();
    // The instant jobs are shown at, so a view of their lifecycles can mark "now" as the mock
    // sees it, whatever the viewer's own clock says.
    body["Now"] = protocol::to_epoch_seconds(state.control.clock().now());
    body["Scopes"] = std::move(scopes);
    body["Ui"] = std::string(kUiPath);
    // 503 while degraded, so a readiness probe takes out of service a mock that cannot keep jobs.
    return reply(body, store_problem ? http::status::service_unavailable : http::status::ok);
}

}  // namespace rekmock::control
